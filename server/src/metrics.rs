//! Prometheus-style metrics (`GET /metrics`): sync rounds, bytes, documents,
//! errors and round latency. Plain atomics rendered in the text format; no
//! registry needed for a handful of counters.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds (seconds) of the round-latency histogram buckets.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

#[derive(Debug, Default)]
pub struct Metrics {
    pub rounds: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub docs_stored: AtomicU64,
    pub docs_unchanged: AtomicU64,
    pub docs_refused: AtomicU64,
    pub docs_sent: AtomicU64,
    pub enrollments: AtomicU64,
    latency_buckets: [AtomicU64; 12],
    latency_count: AtomicU64,
    latency_sum_us: AtomicU64,
    errors: Mutex<BTreeMap<&'static str, u64>>,
}

impl Metrics {
    pub fn observe_round(&self, d: Duration) {
        self.rounds.fetch_add(1, Ordering::Relaxed);
        let s = d.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if s <= *b {
                self.latency_buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_sum_us
            .fetch_add(d.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn error(&self, code: &'static str) {
        if let Ok(mut m) = self.errors.lock() {
            *m.entry(code).or_insert(0) += 1;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let c = |out: &mut String, name: &str, help: &str, v: &AtomicU64| {
            out.push_str(&format!(
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}\n",
                v.load(Ordering::Relaxed)
            ));
        };
        c(
            &mut out,
            "hongdun_sync_rounds_total",
            "Sync rounds served.",
            &self.rounds,
        );
        c(
            &mut out,
            "hongdun_sync_bytes_in_total",
            "Encoded request bytes received.",
            &self.bytes_in,
        );
        c(
            &mut out,
            "hongdun_sync_bytes_out_total",
            "Encoded response bytes sent.",
            &self.bytes_out,
        );
        c(
            &mut out,
            "hongdun_documents_stored_total",
            "Uploaded documents merged and stored.",
            &self.docs_stored,
        );
        c(
            &mut out,
            "hongdun_documents_unchanged_total",
            "Uploaded documents the relay already had.",
            &self.docs_unchanged,
        );
        c(
            &mut out,
            "hongdun_documents_refused_total",
            "Uploaded documents refused (writes a role may not make).",
            &self.docs_refused,
        );
        c(
            &mut out,
            "hongdun_documents_sent_total",
            "Documents sent in feeds.",
            &self.docs_sent,
        );
        c(
            &mut out,
            "hongdun_enrollments_total",
            "Devices enrolled.",
            &self.enrollments,
        );
        out.push_str("# HELP hongdun_errors_total Requests answered with an error, by code.\n# TYPE hongdun_errors_total counter\n");
        if let Ok(m) = self.errors.lock() {
            for (code, n) in m.iter() {
                out.push_str(&format!("hongdun_errors_total{{code=\"{code}\"}} {n}\n"));
            }
        }
        out.push_str("# HELP hongdun_sync_round_seconds Time to serve a sync round.\n# TYPE hongdun_sync_round_seconds histogram\n");
        for (i, b) in BUCKETS.iter().enumerate() {
            out.push_str(&format!(
                "hongdun_sync_round_seconds_bucket{{le=\"{b}\"}} {}\n",
                self.latency_buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        out.push_str(&format!(
            "hongdun_sync_round_seconds_bucket{{le=\"+Inf\"}} {count}\n"
        ));
        out.push_str(&format!(
            "hongdun_sync_round_seconds_sum {}\nhongdun_sync_round_seconds_count {count}\n",
            self.latency_sum_us.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.observe_round(Duration::from_millis(20));
        m.observe_round(Duration::from_millis(200));
        m.error("unauthorized");
        let text = m.render();
        assert!(text.contains("hongdun_sync_rounds_total 2"));
        assert!(text.contains("hongdun_sync_round_seconds_bucket{le=\"0.025\"} 1"));
        assert!(text.contains("hongdun_sync_round_seconds_bucket{le=\"0.25\"} 2"));
        assert!(text.contains("hongdun_errors_total{code=\"unauthorized\"} 1"));
    }
}

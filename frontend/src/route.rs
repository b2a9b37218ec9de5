//! Where the clerk is: the pages of the desk and the left-hand navigation.
//! Plain data (no DOM), so navigation rules are tested on the host.

use hongdun_core::record::RecordKind;

/// A register page: a group of kinds listed together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 案件: 案源 register and case list.
    Cases,
    /// 投诉举报 (12315).
    Complaints,
    /// 信访.
    Petitions,
    /// 专项行动 and their inspections.
    Campaigns,
}

impl Section {
    /// The kinds listed, first one shown first.
    pub fn kinds(self) -> &'static [RecordKind] {
        match self {
            Section::Cases => &[RecordKind::Case, RecordKind::Lead],
            Section::Complaints => &[RecordKind::Complaint, RecordKind::Report],
            Section::Petitions => &[RecordKind::Petition],
            Section::Campaigns => &[RecordKind::Campaign, RecordKind::Inspection],
        }
    }

    /// The name in `data-testid`s: `page-cases`…
    pub fn slug(self) -> &'static str {
        match self {
            Section::Cases => "cases",
            Section::Complaints => "complaints",
            Section::Petitions => "petitions",
            Section::Campaigns => "campaigns",
        }
    }

    /// The section a kind's records belong to.
    pub fn of(kind: RecordKind) -> Section {
        match kind {
            RecordKind::Complaint | RecordKind::Report => Section::Complaints,
            RecordKind::Petition => Section::Petitions,
            RecordKind::Campaign | RecordKind::Inspection => Section::Campaigns,
            _ => Section::Cases,
        }
    }
}

/// A page of the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Workbench,
    Register(Section, RecordKind),
    New(RecordKind),
    Record(String),
    Stats,
    Sync,
    Settings,
}

/// One entry of the navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavEntry {
    /// Stable `data-testid` (`nav-workbench`, `nav-cases`…).
    pub testid: &'static str,
    pub page: Page,
}

/// The navigation, top to bottom.
pub fn nav() -> Vec<NavEntry> {
    let register = |s: Section| Page::Register(s, s.kinds()[0]);
    vec![
        NavEntry {
            testid: "nav-dashboard",
            page: Page::Workbench,
        },
        NavEntry {
            testid: "nav-cases",
            page: register(Section::Cases),
        },
        NavEntry {
            testid: "nav-complaints",
            page: register(Section::Complaints),
        },
        NavEntry {
            testid: "nav-petitions",
            page: register(Section::Petitions),
        },
        NavEntry {
            testid: "nav-campaigns",
            page: register(Section::Campaigns),
        },
        NavEntry {
            testid: "nav-stats",
            page: Page::Stats,
        },
        NavEntry {
            testid: "nav-sync",
            page: Page::Sync,
        },
        NavEntry {
            testid: "nav-settings",
            page: Page::Settings,
        },
    ]
}

/// Is `entry` the one to highlight while `page` shows? A record or a new
/// form highlights the section its kind belongs to.
pub fn is_current(entry: &Page, page: &Page, record_kind: Option<RecordKind>) -> bool {
    let section = match page {
        Page::Register(s, _) => Some(*s),
        Page::New(k) => Some(Section::of(*k)),
        Page::Record(_) => record_kind.map(Section::of),
        _ => None,
    };
    match (entry, section) {
        (Page::Register(s, _), Some(current)) => *s == current,
        _ => entry == page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_work_kind_has_a_register_page() {
        for kind in crate::records::FILTER_KINDS {
            assert!(Section::of(kind).kinds().contains(&kind), "{kind}");
        }
    }

    #[test]
    fn nav_test_ids_are_unique() {
        let ids: std::collections::BTreeSet<_> = nav().iter().map(|e| e.testid).collect();
        assert_eq!(ids.len(), nav().len());
    }

    #[test]
    fn a_new_lead_form_highlights_the_cases_section() {
        let cases = Page::Register(Section::Cases, RecordKind::Case);
        assert!(is_current(&cases, &Page::New(RecordKind::Lead), None));
        assert!(!is_current(
            &Page::Workbench,
            &Page::New(RecordKind::Lead),
            None
        ));
        assert!(is_current(
            &Page::Register(Section::Complaints, RecordKind::Complaint),
            &Page::Record("x".into()),
            Some(RecordKind::Report)
        ));
    }
}

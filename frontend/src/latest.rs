//! Only the latest request may update a page. Answers to fast typing can
//! arrive out of order (a broad first keystroke answers after a narrow
//! second one); without this, an older keystroke's rows would replace the
//! rows of the query the clerk now sees in the search box.

use std::cell::Cell;
use std::rc::Rc;

/// Hands out one ticket per request; a clone shares the count.
#[derive(Debug, Clone, Default)]
pub struct Latest(Rc<Cell<u64>>);

/// The request a ticket was issued for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(u64);

impl Latest {
    /// A ticket for a request about to be sent; every earlier one is stale.
    pub fn issue(&self) -> Ticket {
        let next = self.0.get() + 1;
        self.0.set(next);
        Ticket(next)
    }

    /// True while no request was sent after `ticket`'s.
    pub fn is_current(&self, ticket: Ticket) -> bool {
        self.0.get() == ticket.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_keystrokes_answer_is_stale_once_a_newer_request_was_sent() {
        let latest = Latest::default();
        let first = latest.issue(); // 茅
        let second = latest.clone().issue(); // 茅台, through a clone
        assert!(
            !latest.is_current(first),
            "茅's rows must not replace 茅台's"
        );
        assert!(latest.is_current(second));
    }

    #[test]
    fn the_only_request_is_current_until_another_is_sent() {
        let latest = Latest::default();
        let only = latest.issue();
        assert!(latest.is_current(only));
        assert!(latest.is_current(only), "asking twice changes nothing");
        latest.issue();
        assert!(!latest.is_current(only));
    }
}

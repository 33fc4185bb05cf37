//! Consent given and withdrawn by the people of a household, and what it means for the
//! household: a person's latest giving states what they agree to (the purposes ticked on
//! that form), a withdrawal takes back the purposes it names (none named: all of them). The
//! household may be used for a purpose when someone's consent to it is in force and nobody's
//! withdrawal of it is: messages go to the household's one phone, so one person's "no" wins
//! until that person gives again.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use crate::text::fold;

/// What a person may consent to: contact by the village group (calls, home visits), SMS and
/// Zalo messages (announcements), the digital-adoption survey.
pub const PURPOSES: [&str; 3] = ["programme", "announcements", "survey"];
/// How consent is given or withdrawn (`register`: carried over from the register's form).
pub const METHODS: [&str; 3] = ["paper", "phone", "in_person"];
/// The giver's relation to the household; `representative` by default.
pub const RELATIONS: [&str; 6] = [
    "representative",
    "head",
    "spouse",
    "child",
    "parent",
    "other",
];
/// The purpose whose withdrawal refuses new indicator values on a visit.
pub const SURVEY: &str = "survey";

/// One giving or withdrawal, oldest first.
#[derive(Clone, Copy, Debug)]
pub struct Event<'a> {
    /// The person's name as given.
    pub person: &'a str,
    /// Their relation.
    pub relation: &'a str,
    /// Given (`true`) or withdrawn.
    pub given: bool,
    /// Comma list of purpose codes.
    pub purposes: &'a str,
    /// The day.
    pub on: Date,
}

/// A person's consent now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    /// The name as last given.
    pub name: String,
    /// Their relation.
    pub relation: String,
    /// Purposes in force, with the day they were given.
    pub given: BTreeMap<String, Date>,
    /// Purposes this person withdrew (and did not give again).
    pub withdrawn: BTreeSet<String>,
}

/// The household's consent now, person by person (in the order they first appear).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Household {
    /// Each person's consent.
    pub people: Vec<Person>,
}

/// Folds the events (oldest first) into each person's consent now. A person is told apart by
/// their name, folded (accents and case ignored).
pub fn fold_events<'a>(events: impl IntoIterator<Item = Event<'a>>) -> Household {
    let mut people: Vec<(String, Person)> = Vec::new();
    for e in events {
        let key = fold(e.person);
        let at = match people.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                people.push((
                    key,
                    Person {
                        name: e.person.to_owned(),
                        relation: e.relation.to_owned(),
                        given: BTreeMap::new(),
                        withdrawn: BTreeSet::new(),
                    },
                ));
                people.len() - 1
            }
        };
        let person = &mut people[at].1;
        person.name = e.person.to_owned();
        person.relation = e.relation.to_owned();
        let named: Vec<&str> = e.purposes.split(',').filter(|p| !p.is_empty()).collect();
        if e.given {
            person.given = named.iter().map(|p| ((*p).to_owned(), e.on)).collect();
            person.withdrawn.retain(|p| !named.contains(&p.as_str()));
        } else {
            let taken: Vec<String> = if named.is_empty() {
                PURPOSES.iter().map(|p| (*p).to_owned()).collect()
            } else {
                named.iter().map(|p| (*p).to_owned()).collect()
            };
            for p in taken {
                person.given.remove(&p);
                person.withdrawn.insert(p);
            }
        }
    }
    Household {
        people: people.into_iter().map(|(_, p)| p).collect(),
    }
}

impl Household {
    /// Whether someone withdrew `purpose` and has not given it again.
    pub fn withdrawn(&self, purpose: &str) -> bool {
        self.people.iter().any(|p| p.withdrawn.contains(purpose))
    }

    /// Whether the household may be used for `purpose`: someone's consent to it is in
    /// force and nobody's withdrawal of it is.
    pub fn allows(&self, purpose: &str) -> bool {
        !self.withdrawn(purpose) && self.people.iter().any(|p| p.given.contains_key(purpose))
    }

    /// The latest day of a consent still in force for a purpose the household allows
    /// (the register's "consent since"); `None` when it allows none.
    pub fn in_force_since(&self) -> Option<Date> {
        self.people
            .iter()
            .flat_map(|p| p.given.iter())
            .filter(|(purpose, _)| !self.withdrawn(purpose))
            .map(|(_, day)| *day)
            .max()
    }
}

/// The type of a paper form's scan told by its first bytes: a PDF, a JPEG or a PNG, nothing
/// else (a name or a declared type is never trusted).
pub fn scan_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ev<'a>(person: &'a str, given: bool, purposes: &'a str) -> Event<'a> {
        Event {
            person,
            relation: "representative",
            given,
            purposes,
            on: date!(2026 - 03 - 01),
        }
    }

    #[test]
    fn one_persons_withdrawal_wins_until_they_give_again() {
        let events = [
            ev("Nguyễn Văn An", true, "announcements,survey"),
            ev("Trần Thị Bình", true, "announcements"),
            ev("nguyen van an", false, "announcements"),
        ];
        let h = fold_events(events);
        assert_eq!(h.people.len(), 2);
        assert!(!h.allows("announcements"));
        assert!(h.allows("survey"));
        assert!(!h.withdrawn("survey"));
        let h = fold_events(
            events
                .into_iter()
                .chain([ev("Nguyễn Văn An", true, "announcements")]),
        );
        assert!(h.allows("announcements"));
        // The new giving names no survey: no longer in force, not withdrawn either.
        assert!(!h.allows("survey") && !h.withdrawn("survey"));
    }

    #[test]
    fn a_withdrawal_naming_nothing_takes_back_everything() {
        let h = fold_events([
            ev("An", true, "programme,announcements"),
            ev("An", false, ""),
        ]);
        assert!(PURPOSES.iter().all(|p| !h.allows(p) && h.withdrawn(p)));
        assert_eq!(h.in_force_since(), None);
    }

    proptest::proptest! {
        #[test]
        fn a_scan_is_typed_by_its_first_bytes_only(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let pdf = [b"%PDF-".as_slice(), &tail].concat();
            proptest::prop_assert_eq!(scan_type(&pdf), Some("application/pdf"));
            let png = [&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..], &tail].concat();
            proptest::prop_assert_eq!(scan_type(&png), Some("image/png"));
            let known = tail.starts_with(b"%PDF-") || tail.starts_with(&[0xFF, 0xD8, 0xFF])
                || tail.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]);
            proptest::prop_assert_eq!(scan_type(&tail).is_some(), known);
        }

        #[test]
        fn a_withdrawal_of_everything_by_anyone_leaves_nothing_allowed(
            events in proptest::collection::vec((0..3usize, proptest::bool::ANY, 0..8usize), 0..30),
            who in 0..3usize,
        ) {
            let names = ["An", "Bình", "Chi"];
            let lists = ["", "programme", "announcements", "survey", "programme,survey",
                "announcements,survey", "programme,announcements", "programme,announcements,survey"];
            let mut all: Vec<Event<'_>> = events.iter().map(|(p, given, l)| Event {
                person: names[*p], relation: "other", given: *given, purposes: lists[*l],
                on: time::macros::date!(2026 - 01 - 02),
            }).collect();
            all.push(Event { person: names[who], relation: "other", given: false, purposes: "",
                on: time::macros::date!(2026 - 01 - 03) });
            let h = fold_events(all);
            proptest::prop_assert!(PURPOSES.iter().all(|p| !h.allows(p) && h.withdrawn(p)));
            proptest::prop_assert_eq!(h.in_force_since(), None);
        }
    }
}

//! Masking phone numbers, e-mail addresses and citizen-ID numbers in free text the public
//! reads (a fault description, an address, a status note, a feed entry).
//!
//! The rules follow how such numbers are written in Vietnam: mobiles `09xx xxx xxx`,
//! `0912.345.678`, landlines `024 3856 1234` or `(024) 3856 1234`, international `+84 912 345
//! 678` or `84912345678`; citizen IDs of 12 digits (old ID cards: 9), often in groups of three.
//! Ordinary numbers stay readable: a house number, a date (`12/03/2024`, `01.02.2024`), an
//! amount (`1.500.000 đồng`), a count.

/// Characters that may join the digit groups of one number: space, no-break space, dot,
/// hyphen and the brackets around an area code.
fn joins(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '.' | '-' | '(' | ')')
}

/// The most joining characters between two groups of one number (`0912 - 345 - 678`).
const MAX_JOIN: usize = 3;

/// A run of ASCII digits: where it starts and ends (char indices, end exclusive).
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

impl Group {
    fn len(self) -> usize {
        self.end - self.start
    }
}

/// Whether the digits of groups `window` (joined) read as a phone or citizen-ID number.
fn personal(chars: &[char], window: &[Group], plus: bool) -> bool {
    let digits: String = window
        .iter()
        .flat_map(|g| chars[g.start..g.end].iter())
        .collect();
    let n = digits.len();
    // Written in groups, a number's later groups have at least three digits and its first at
    // least two: that keeps dates (01.02.2024) and lists of small numbers out.
    let grouped =
        window.len() == 1 || (window[0].len() >= 2 && window[1..].iter().all(|g| g.len() >= 3));
    if !grouped {
        return false;
    }
    let national = digits.starts_with('0') && (9..=12).contains(&n);
    // 84 then the national number without its 0: a mobile (3, 5, 7, 8, 9) or a landline (2).
    let international = digits.starts_with("84")
        && (11..=12).contains(&n)
        && digits[2..].starts_with(['2', '3', '5', '7', '8', '9']);
    let dialled = plus && (8..=15).contains(&n);
    national || international || dialled || (window.len() == 1 && n >= 9)
}

/// `text` with phone numbers, e-mail addresses and citizen-ID numbers masked: the digits of a
/// number become `*` (its shape stays, so a reader sees a number was given) and an e-mail
/// address becomes `***@***`. Masking twice changes nothing more.
pub fn mask_personal_data(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut digit = vec![false; chars.len()];
    let mut emails: Vec<(usize, usize)> = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        if let Some(span) = email_at(&chars, at)
            && emails.last().is_none_or(|last| last.1 <= span.0)
        {
            emails.push(span);
        }
    }
    let groups = groups(&chars);
    let mut first = 0;
    while first < groups.len() {
        // The chain of groups joined to `first`.
        let mut last = first;
        while last + 1 < groups.len() {
            let gap = &chars[groups[last].end..groups[last + 1].start];
            if gap.is_empty() || gap.len() > MAX_JOIN || !gap.iter().all(|c| joins(*c)) {
                break;
            }
            last += 1;
        }
        let chain = &groups[first..=last];
        let mut i = 0;
        while i < chain.len() {
            // A number starts a chain or follows a space: `2.000.000.000` is one amount, not
            // a 2 and an ID `000.000.000`; `lần 2 0912 345 678` holds a phone.
            let spaced = i == 0
                || chars[chain[i - 1].end..chain[i].start]
                    .iter()
                    .any(|c| matches!(c, ' ' | '\u{a0}'));
            if !spaced {
                i += 1;
                continue;
            }
            let plus = i == 0 && chain[0].start > 0 && chars[chain[0].start - 1] == '+';
            // The longest window from group i that reads as a personal number.
            let found = (i..chain.len())
                .rev()
                .find(|&j| personal(&chars, &chain[i..=j], plus));
            match found {
                Some(j) => {
                    for g in &chain[i..=j] {
                        digit[g.start..g.end].iter_mut().for_each(|d| *d = true);
                    }
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        first = last + 1;
    }
    let mut out = String::with_capacity(text.len());
    let mut emails = emails.into_iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&(start, end)) = emails.peek()
            && start == i
        {
            out.push_str("***@***");
            emails.next();
            i = end;
            continue;
        }
        out.push(if digit[i] { '*' } else { chars[i] });
        i += 1;
    }
    out
}

/// Every run of ASCII digits, in order.
fn groups(chars: &[char]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(Group { start, end: i });
        } else {
            i += 1;
        }
    }
    groups
}

/// The e-mail address around the `@` at `at`, if any: a local part of letters, digits and
/// `._%+-`, a domain of letters, digits, `.` and `-` with a dot inside it.
fn email_at(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || c == '.' || c == '-';
    let mut start = at;
    while start > 0 && local(chars[start - 1]) {
        start -= 1;
    }
    let mut end = at + 1;
    while end < chars.len() && domain(chars[end]) {
        end += 1;
    }
    // A sentence's full stop is not part of the domain.
    while end > at + 1 && matches!(chars[end - 1], '.' | '-') {
        end -= 1;
    }
    let host = &chars[at + 1..end];
    let dotted = host
        .iter()
        .skip(1)
        .take(host.len().saturating_sub(2))
        .any(|c| *c == '.');
    (start < at && dotted).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn phone_numbers_in_their_common_forms_are_masked() {
        for (text, masked) in [
            ("Gọi 0912 345 678 nhé", "Gọi **** *** *** nhé"),
            ("SĐT: 0912345678.", "SĐT: **********."),
            ("0243.856.1234", "****.***.****"),
            ("(024) 3856 1234", "(***) **** ****"),
            ("+84 912 345 678", "+** *** *** ***"),
            ("84912345678", "***********"),
            (
                "0912-345-678 hoặc 0987 654 321",
                "****-***-*** hoặc **** *** ***",
            ),
            ("sdt0912345678", "sdt**********"),
            ("lần 2 0912 345 678", "lần 2 **** *** ***"),
        ] {
            assert_eq!(mask_personal_data(text), masked, "{text}");
        }
    }

    #[test]
    fn citizen_ids_and_emails_are_masked() {
        assert_eq!(
            mask_personal_data("CCCD 001099012345, CMND 012345678"),
            "CCCD ************, CMND *********"
        );
        assert_eq!(
            mask_personal_data("CCCD 001 099 012 345"),
            "CCCD *** *** *** ***"
        );
        assert_eq!(
            mask_personal_data("thư lan.nguyen+1@gmail.com."),
            "thư ***@***."
        );
        assert_eq!(mask_personal_data("a@b"), "a@b");
        assert_eq!(mask_personal_data("@ thôn"), "@ thôn");
    }

    #[test]
    fn ordinary_numbers_stay_readable() {
        for text in [
            "Số 12 ngõ 345 đường Tây Sơn",
            "Từ 01.02.2024 đến 12/03/2024",
            "ngày 2024-03-12 lúc 10 giờ",
            "Hỗ trợ 1.500.000 đồng cho 25 hộ",
            "Kinh phí 2.000.000.000 đồng",
            "84.000.000 đồng",
            "Cột điện 12 34 56",
            "120.000.000.000 đồng",
            "Km 12+300",
        ] {
            assert_eq!(mask_personal_data(text), text);
        }
    }

    fn phone() -> impl Strategy<Value = String> {
        (
            prop::sample::select(vec!["03", "05", "07", "08", "09"]),
            "[0-9]{8}",
            0usize..6,
        )
            .prop_map(|(head, tail, form)| {
                let n = format!("{head}{tail}");
                match form {
                    0 => n,
                    1 => format!("{} {} {}", &n[..4], &n[4..7], &n[7..]),
                    2 => format!("{}.{}.{}", &n[..3], &n[3..6], &n[6..]),
                    3 => format!("+84 {} {} {}", &n[1..4], &n[4..7], &n[7..]),
                    4 => format!("84{}", &n[1..]),
                    _ => format!("{}-{}-{}", &n[..4], &n[4..7], &n[7..]),
                }
            })
    }

    fn citizen_id() -> impl Strategy<Value = String> {
        prop_oneof![
            "0[0-9]{11}",
            "[0-9]{9}",
            "0[0-9]{2} [0-9]{3} [0-9]{3} [0-9]{3}"
        ]
    }

    proptest! {
        #[test]
        fn no_digit_of_a_number_survives(
            before in "[a-zA-ZđĐàảãáạ ,:;!?]{0,20}",
            number in prop_oneof![phone(), citizen_id()],
            after in "[a-zA-ZđĐàảãáạ ,:;!?]{0,20}",
        ) {
            let masked = mask_personal_data(&format!("{before} {number} {after}"));
            prop_assert!(!masked.chars().any(|c| c.is_ascii_digit()), "{masked}");
        }

        #[test]
        fn no_email_survives(
            user in "[a-z0-9._+-]{1,12}",
            host in "[a-z0-9-]{1,10}",
            tld in "[a-z]{2,4}",
            after in "[a-z ]{0,10}",
        ) {
            let masked = mask_personal_data(&format!("thư: {user}@{host}.{tld} {after}"));
            prop_assert!(!masked.contains(&format!("{host}.{tld}")), "{masked}");
        }

        #[test]
        fn masking_is_idempotent_and_keeps_the_text_around(s in any::<String>()) {
            let once = mask_personal_data(&s);
            prop_assert_eq!(mask_personal_data(&once), once.clone());
            if !s.contains('@') {
                prop_assert_eq!(once.chars().count(), s.chars().count());
            }
        }

        #[test]
        fn dates_and_small_numbers_stay(
            d in 1u32..29, m in 1u32..13, y in 1990u32..2100, n in 0u32..100_000,
        ) {
            let text = format!("ngày {d:02}/{m:02}/{y}, {d:02}.{m:02}.{y}, số {n}, {y}-{m:02}-{d:02}");
            prop_assert_eq!(mask_personal_data(&text), text);
        }
    }
}

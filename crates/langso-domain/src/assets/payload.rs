//! Limits on what devices send, shared by HTTP and MQTT: the size of a message, the number of
//! readings in it, and how far a device's clock may be from ours.

use time::{Duration, OffsetDateTime};

use super::{AssetError, MAX_READINGS, Reading};

/// The longest a reading may be as JSON. A reading with every field at its longest (a 40-character
/// code, an RFC 3339 time with nanoseconds and offset, a 32-character fault) is about 230 bytes as
/// compact JSON; the rest leaves room for indentation and a few fields we do not use.
pub const MAX_READING_BYTES: usize = 512;

/// The largest message (an MQTT payload) accepted: [`MAX_READINGS`] readings of
/// [`MAX_READING_BYTES`] plus 4 KiB for the envelope. Anything larger is refused whole.
pub const MAX_PAYLOAD_BYTES: usize = MAX_READINGS * MAX_READING_BYTES + 4 * 1024;

/// How far ahead of the server's clock a reading's time may be. Device clocks drift and NTP
/// on a solar light is not guaranteed, so a few minutes are tolerated and kept as sent (the
/// device's own order is what counts); further ahead, a reading would keep a device "online"
/// and its state fixed for as long as the clock is wrong, so it is refused.
pub const MAX_CLOCK_AHEAD: Duration = Duration::minutes(5);

/// How old a reading may be. Devices buffer readings while their link is down and resend
/// them later, which can be days; a time older than this is a clock that was reset (a dead
/// real-time-clock battery gives 1970 or 2000) and means nothing, so it is refused.
pub const MAX_READING_AGE: Duration = Duration::days(30);

/// The time a reading counts for: its own (the device's order, not the order of arrival), or
/// `now` when it has none. Refuses times more than [`MAX_CLOCK_AHEAD`] ahead of `now` or more
/// than [`MAX_READING_AGE`] behind it.
pub fn reading_time(
    at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, AssetError> {
    match at {
        None => Ok(now),
        Some(at) if at > now + MAX_CLOCK_AHEAD => Err(AssetError::ClockAhead),
        Some(at) if at < now - MAX_READING_AGE => Err(AssetError::TooOld),
        Some(at) => Ok(at),
    }
}

/// Why a message was refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    /// Larger than [`MAX_PAYLOAD_BYTES`].
    #[error("message too large ({bytes} bytes, at most {limit})")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// More than [`MAX_READINGS`] readings.
    #[error("too many readings ({count}, at most {limit})")]
    TooMany {
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// Not JSON of the expected shape.
    #[error("unreadable message: {0}")]
    Unreadable(String),
}

impl PayloadError {
    /// The refusal as a catalogue key with its arguments.
    pub fn message(&self) -> crate::Message {
        use crate::Message;
        match self {
            PayloadError::TooLarge { bytes, limit } => Message::new(
                "assets-payload-too-large",
                &[("bytes", bytes), ("limit", limit)],
            ),
            PayloadError::TooMany { count, limit } => Message::new(
                "assets-payload-too-many",
                &[("count", count), ("limit", limit)],
            ),
            PayloadError::Unreadable(reason) => {
                Message::new("assets-payload-unreadable", &[("reason", reason)])
            }
        }
    }
}

/// Parses a message: `{"readings": [...]}` (like the HTTP body) or one reading object. The size
/// is checked before anything is parsed; readings are not yet checked ([`Reading::normalise`]).
pub fn parse_payload(bytes: &[u8]) -> Result<Vec<Reading>, PayloadError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(PayloadError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_PAYLOAD_BYTES,
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| PayloadError::Unreadable(e.to_string()))?;
    let unreadable = |e: serde_json::Error| PayloadError::Unreadable(e.to_string());
    match value {
        serde_json::Value::Object(mut object) => match object.remove("readings") {
            Some(serde_json::Value::Array(list)) => {
                if list.len() > MAX_READINGS {
                    return Err(PayloadError::TooMany {
                        count: list.len(),
                        limit: MAX_READINGS,
                    });
                }
                list.into_iter()
                    .map(|v| serde_json::from_value(v).map_err(unreadable))
                    .collect()
            }
            Some(_) => Err(PayloadError::Unreadable(
                "\"readings\" must be a list".to_owned(),
            )),
            None => serde_json::from_value(serde_json::Value::Object(object))
                .map(|r| vec![r])
                .map_err(unreadable),
        },
        _ => Err(PayloadError::Unreadable(
            "expected a JSON object".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::seconds(1_800_000_000 + seconds)
    }

    #[test]
    fn clocks_within_bounds_are_kept_and_others_refused() {
        let now = at(0);
        assert_eq!(reading_time(None, now), Ok(now));
        assert_eq!(reading_time(Some(at(300)), now), Ok(at(300)));
        assert_eq!(
            reading_time(Some(at(301)), now),
            Err(AssetError::ClockAhead)
        );
        assert_eq!(
            reading_time(Some(now - MAX_READING_AGE), now),
            Ok(now - MAX_READING_AGE)
        );
        assert_eq!(
            reading_time(Some(OffsetDateTime::UNIX_EPOCH), now),
            Err(AssetError::TooOld)
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(parse_payload(br#"{"fault":"E1"}"#).map(|r| r.len()), Ok(1));
        assert_eq!(
            parse_payload(br#"{"readings":[{},{"battery":5}]}"#).map(|r| r.len()),
            Ok(2)
        );
        assert!(parse_payload(br#"{"readings":"x"}"#).is_err());
        assert!(parse_payload(b"[1,2]").is_err());
        assert!(parse_payload(br#"{"battery":"full"}"#).is_err());
    }

    /// A reading with every field at its longest: the size the limit is computed from.
    fn longest(i: usize) -> Reading {
        Reading {
            asset: format!("{:X<40}", i),
            at: Some(OffsetDateTime::UNIX_EPOCH + Duration::nanoseconds(1_799_999_999_123_456_789)),
            online: false,
            battery: Some(100),
            lamp_on: Some(false),
            fault: Some("E".repeat(32)),
            clients: Some(-100_000),
        }
    }

    fn arb_reading() -> impl Strategy<Value = Reading> {
        (
            "[A-Z0-9-]{0,40}",
            proptest::option::of(0i64..4_000_000_000),
            any::<bool>(),
            proptest::option::of(any::<i64>()),
            proptest::option::of(any::<bool>()),
            proptest::option::of("[ -~]{0,40}"),
            proptest::option::of(any::<i64>()),
        )
            .prop_map(
                |(asset, at, online, battery, lamp_on, fault, clients)| Reading {
                    asset,
                    at: at.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok()),
                    online,
                    battery,
                    lamp_on,
                    fault,
                    clients,
                },
            )
    }

    #[test]
    fn the_largest_valid_batch_fits_the_limit() {
        let batch: Vec<Reading> = (0..MAX_READINGS).map(longest).collect();
        let pretty = serde_json::to_vec_pretty(&serde_json::json!({ "readings": batch }));
        let pretty = pretty.unwrap_or_default();
        assert!(pretty.len() <= MAX_PAYLOAD_BYTES, "{}", pretty.len());
        assert_eq!(parse_payload(&pretty), Ok(batch));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256)
        ))]

        /// Any bytes: an answer, never a panic; too large is refused before parsing.
        #[test]
        fn any_bytes_get_an_answer(bytes in proptest::collection::vec(any::<u8>(), 0..2_000)) {
            let _ = parse_payload(&bytes);
        }

        /// Whatever a device sends within the limits is read back as sent, as a batch or alone,
        /// compact or indented; one reading more than the limit, or one byte, is refused.
        #[test]
        fn batches_round_trip_and_limits_hold(
            readings in proptest::collection::vec(arb_reading(), 0..40),
            pretty in any::<bool>(),
            extra in 1usize..10_000,
        ) {
            let body = serde_json::json!({ "readings": readings });
            let bytes = if pretty { serde_json::to_vec_pretty(&body) } else { serde_json::to_vec(&body) };
            let bytes = bytes.unwrap_or_default();
            prop_assert_eq!(parse_payload(&bytes), Ok(readings.clone()));
            if let Some(first) = readings.first() {
                let one = serde_json::to_vec(first).unwrap_or_default();
                prop_assert_eq!(parse_payload(&one), Ok(vec![first.clone()]));
            }
            let mut padded = bytes.clone();
            padded.resize(MAX_PAYLOAD_BYTES + extra, b' ');
            let refused = matches!(parse_payload(&padded), Err(PayloadError::TooLarge { .. }));
            prop_assert!(refused);
            let many = format!("{{\"readings\":[{}{{}}]}}", "{},".repeat(MAX_READINGS + extra % 100));
            let refused = matches!(parse_payload(many.as_bytes()), Err(PayloadError::TooMany { .. }));
            prop_assert!(refused);
        }

        /// A reading's time is kept exactly when it lies within the window around `now`.
        #[test]
        fn times_outside_the_window_are_refused(offset in -100_000_000i64..100_000_000) {
            let now = at(0);
            let t = now + Duration::seconds(offset);
            let kept = reading_time(Some(t), now);
            let inside = t <= now + MAX_CLOCK_AHEAD && t >= now - MAX_READING_AGE;
            prop_assert_eq!(kept.is_ok(), inside);
            if inside {
                prop_assert_eq!(kept, Ok(t));
            }
        }
    }
}

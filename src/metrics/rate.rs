//! Rates and colour bands, computed exactly.
//!
//! A rate is `n / d × 100` with one decimal, rounded half up from the exact
//! fraction in integers, so 1/16 is 6.3 and 7/2000 is 0.4 on every platform.
//! A zero denominator gives no rate at all, never NaN or 0 %.

use serde::{Serialize, Serializer};

/// A percentage with one decimal, held as tenths of a percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate(i64);

impl Rate {
    /// `numerator / denominator × 100`, or `None` when the denominator is not positive.
    pub fn of(numerator: i64, denominator: i64) -> Option<Self> {
        if denominator <= 0 {
            return None;
        }
        let n = i128::from(numerator);
        let d = i128::from(denominator);
        let tenths = (2000 * n + d).div_euclid(2 * d);
        Some(Self(i64::try_from(tenths).unwrap_or(i64::MAX)))
    }

    pub fn from_tenths(tenths: i64) -> Self {
        Self(tenths)
    }

    pub fn tenths(self) -> i64 {
        self.0
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }

    /// The difference `self − earlier` in percentage points.
    pub fn minus(self, earlier: Self) -> Self {
        Self(self.0 - earlier.0)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

/// How a figure stands against its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Green,
    Yellow,
    Red,
}

/// The bands of one metric, in tenths of a percent.
#[derive(Clone, Copy, Debug)]
pub enum Bands {
    /// Higher is better: green at or above `green`, red below `red`.
    AtLeast { green: i64, red: i64 },
    /// Lower is better: green at or below `green`, red at or above `red`.
    AtMost { green: i64, red: i64 },
}

impl Bands {
    pub fn band(self, rate: Option<Rate>) -> Option<Band> {
        let tenths = rate?.tenths();
        Some(match self {
            Self::AtLeast { green, .. } if tenths >= green => Band::Green,
            Self::AtLeast { red, .. } if tenths < red => Band::Red,
            Self::AtMost { green, .. } if tenths <= green => Band::Green,
            Self::AtMost { red, .. } if tenths >= red => Band::Red,
            _ => Band::Yellow,
        })
    }
}

/// Bands of every metric that has them, as the metric catalogue defines them.
pub mod bands {
    use super::Bands;

    pub const COVERAGE: Bands = Bands::AtLeast {
        green: 800,
        red: 500,
    };
    pub const REGISTRATION: Bands = Bands::AtLeast {
        green: 250,
        red: 100,
    };
    pub const MINUTES_PROCESSED: Bands = Bands::AtLeast {
        green: 950,
        red: 800,
    };
    pub const SPEAKERS_LINKED: Bands = Bands::AtLeast {
        green: 700,
        red: 500,
    };
    pub const LLM_ERRORS: Bands = Bands::AtMost {
        green: 50,
        red: 150,
    };
    pub const POLITICIAN_SPEAKERS: Bands = Bands::AtLeast {
        green: 900,
        red: 700,
    };
    pub const WITHOUT_SPEAKER: Bands = Bands::AtMost {
        green: 50,
        red: 150,
    };
    pub const WITHOUT_MINUTES: Bands = Bands::AtMost {
        green: 100,
        red: 200,
    };
    pub const PREFECTURE: Bands = COVERAGE;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up_from_the_exact_fraction() {
        assert_eq!(Rate::of(1, 16).map(Rate::as_f64), Some(6.3));
        assert_eq!(Rate::of(7, 2000).map(Rate::as_f64), Some(0.4));
        assert_eq!(Rate::of(1, 3).map(Rate::as_f64), Some(33.3));
        assert_eq!(Rate::of(2, 3).map(Rate::as_f64), Some(66.7));
        assert_eq!(Rate::of(0, 5).map(Rate::as_f64), Some(0.0));
        assert_eq!(Rate::of(5, 5).map(Rate::as_f64), Some(100.0));
    }

    #[test]
    fn zero_denominator_has_no_rate() {
        assert_eq!(Rate::of(0, 0), None);
        assert_eq!(bands::COVERAGE.band(None), None);
    }

    #[test]
    fn bands_follow_the_catalogue() {
        let band = |bands: Bands, n, d| bands.band(Rate::of(n, d));

        assert_eq!(band(bands::COVERAGE, 80, 100), Some(Band::Green));
        assert_eq!(band(bands::COVERAGE, 50, 100), Some(Band::Yellow));
        assert_eq!(band(bands::COVERAGE, 49, 100), Some(Band::Red));
        assert_eq!(band(bands::LLM_ERRORS, 5, 100), Some(Band::Green));
        assert_eq!(band(bands::LLM_ERRORS, 10, 100), Some(Band::Yellow));
        assert_eq!(band(bands::LLM_ERRORS, 15, 100), Some(Band::Red));
    }
}

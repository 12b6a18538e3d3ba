//! The five headline cards, each a rate with its counts, band and 7-day change.

use crate::metrics::document::Card;
use crate::metrics::rate::{Bands, Rate, bands};

/// A rate now and seven days earlier, as counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Figure {
    pub numerator: i64,
    pub denominator: i64,
    /// The same rate seven days earlier, when the rows' times allow it.
    pub week_ago: Option<Rate>,
}

impl Figure {
    pub fn new(numerator: i64, denominator: i64) -> Self {
        Self {
            numerator,
            denominator,
            week_ago: None,
        }
    }

    pub fn with_week_ago(mut self, numerator: i64, denominator: i64) -> Self {
        self.week_ago = Rate::of(numerator, denominator);
        self
    }
}

/// Card ids in display order, with their bands.
pub const CARDS: [(&str, Bands); 5] = [
    ("coverage", bands::COVERAGE),
    ("registration", bands::REGISTRATION),
    ("minutes_processed", bands::MINUTES_PROCESSED),
    ("speakers_linked", bands::SPEAKERS_LINKED),
    ("llm_error_rate", bands::LLM_ERRORS),
];

/// A card from its figure; `None` (its section failed) gives a card without values.
pub fn card(id: &'static str, band: Bands, figure: Option<Figure>) -> Card {
    let Some(figure) = figure else {
        return Card {
            id,
            rate: None,
            numerator: None,
            denominator: None,
            band: None,
            change_7d: None,
        };
    };
    let rate = Rate::of(figure.numerator, figure.denominator);
    Card {
        id,
        rate,
        numerator: Some(figure.numerator),
        denominator: Some(figure.denominator),
        band: band.band(rate),
        change_7d: rate
            .zip(figure.week_ago)
            .map(|(now, before)| now.minus(before)),
    }
}

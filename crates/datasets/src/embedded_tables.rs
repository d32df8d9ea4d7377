//! Real tables compiled into the crate: text columns and missing values, as found in the
//! wild.

use std::sync::OnceLock;

use crate::table::Table;
use crate::table_csv::{TableOptions, read_table_from};

const PENGUINS: &str = include_str!("../data/penguins.csv");

/// The Palmer penguins: 344 penguins of three species (Adelie, Chinstrap, Gentoo) on three
/// islands of the Palmer Archipelago, Antarctica, 2007-2009; columns `species`, `island`,
/// `sex` (text), `bill_length_mm`, `bill_depth_mm`, `flipper_length_mm`, `body_mass_g`,
/// `year` (numbers). Eleven rows have missing values (`NA`): two have no measurements, eleven
/// no sex.
///
/// Source: K. B. Gorman, T. D. Williams, W. R. Fraser (2014), "Ecological sexual dimorphism
/// and environmental variability within a community of Antarctic penguins (genus
/// *Pygoscelis*)", PLoS ONE 9(3): e90081; Palmer Station Antarctica LTER; as distributed by
/// the `palmerpenguins` package of A. M. Horst, A. P. Hill, K. B. Gorman (2020); CC0.
///
/// # Examples
/// ```
/// use linmod_datasets::{ColumnType, penguins};
/// let t = penguins();
/// assert_eq!((t.n_rows(), t.n_columns()), (344, 8));
/// assert_eq!(t.column("sex").map(|c| c.missing_count()), Some(11));
/// assert_eq!(t.column("island").map(|c| c.column_type()), Some(ColumnType::Text));
/// ```
#[must_use]
pub fn penguins() -> Table {
    static CELL: OnceLock<Table> = OnceLock::new();
    CELL.get_or_init(|| {
        // fixed at compile time and read by this crate's tests: the read cannot fail
        read_table_from(PENGUINS.as_bytes(), "penguins.csv", &TableOptions::new())
            .expect("embedded table parse")
    })
    .clone()
}

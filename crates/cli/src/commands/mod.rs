//! One module per subcommand.

pub mod evaluate;
pub mod fit;
pub mod path;
pub mod predict;
pub mod simulate;
pub mod tour;

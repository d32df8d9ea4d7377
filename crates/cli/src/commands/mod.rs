//! One module per subcommand.

pub mod evaluate;
pub mod fit;
mod fit_glm;
pub mod path;
pub mod predict;
pub mod simulate;
pub mod tour;

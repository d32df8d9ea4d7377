//! One module per subcommand.

pub mod evaluate;
pub mod fit;
mod fit_glm;
mod glm_path;
pub mod path;
pub mod predict;
pub mod simulate;
pub mod tour;

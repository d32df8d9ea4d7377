//! A fixed partition of the rows of a matrix into blocks and tasks, and the executor that
//! runs tasks sequentially or on rayon.
//!
//! Every blocked kernel in this crate computes one partial result per *task* (a run of
//! consecutive row blocks, processed sequentially) and then adds the partial results in task
//! order. The partition depends only on the shape of the problem, never on the number of
//! threads, so a result is bit-for-bit the same with 1, 2 or 64 threads.

use std::ops::Range;

use rayon::prelude::*;

/// How blocked kernels run their tasks.
///
/// The number of threads is the size of the rayon pool the call runs in (the global pool
/// unless the caller [`install`](rayon::ThreadPool::install)s another). Results do not depend
/// on it.
///
/// # Examples
/// ```
/// use linmod_linalg_core::Parallelism;
/// assert_eq!(Parallelism::default(), Parallelism::Rayon);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Parallelism {
    /// Run every task on the calling thread.
    Sequential,
    /// Spread tasks over the current rayon pool.
    #[default]
    Rayon,
}

/// Target size in bytes of one row block of `X` (rows x columns x 8): it should stay in the
/// 1 MiB L2 cache together with the block's linear predictors. 1024 rows x 100 columns was the
/// fastest measured size for the fused gradient on the reference machine.
const BLOCK_BYTES: usize = 800 * 1024;
/// Smallest and largest block heights.
const MIN_BLOCK_ROWS: usize = 64;
const MAX_BLOCK_ROWS: usize = 4096;
/// Row blocks per task: enough work per task to amortise scheduling, few enough partial
/// results to keep the final reduction cheap.
const BLOCKS_PER_TASK: usize = 16;

/// A partition of `n` rows into blocks of `block_rows` rows (the last one shorter), grouped
/// into tasks of `blocks_per_task` consecutive blocks.
///
/// # Examples
/// ```
/// use linmod_linalg_core::RowBlocks;
/// let part = RowBlocks::new(10_000, 1024, 4);
/// assert_eq!(part.n_blocks(), 10);
/// assert_eq!(part.n_tasks(), 3);
/// assert_eq!(part.block(9), 9216..10_000);
/// assert_eq!(part.task_blocks(2), 8..10);
/// assert_eq!(part.task_rows(2), 8192..10_000);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RowBlocks {
    n: usize,
    block_rows: usize,
    blocks_per_task: usize,
}

impl RowBlocks {
    /// A partition with explicit block height and task size (both at least 1).
    ///
    /// # Panics
    /// If `block_rows` or `blocks_per_task` is zero.
    #[must_use]
    pub fn new(n: usize, block_rows: usize, blocks_per_task: usize) -> Self {
        assert!(block_rows > 0, "block_rows must be positive");
        assert!(blocks_per_task > 0, "blocks_per_task must be positive");
        Self {
            n,
            block_rows,
            blocks_per_task,
        }
    }

    /// The partition used for passes over an `n x width` matrix: blocks of about 800 KiB,
    /// a power of two between 64 and 4096 rows, 16 blocks per task.
    ///
    /// # Examples
    /// ```
    /// use linmod_linalg_core::RowBlocks;
    /// assert_eq!(RowBlocks::for_pass(1_000_000, 100).block_rows(), 1024);
    /// assert_eq!(RowBlocks::for_pass(1_000_000, 20).block_rows(), 4096);
    /// ```
    #[must_use]
    pub fn for_pass(n: usize, width: usize) -> Self {
        Self::new(n, block_rows_for(width), BLOCKS_PER_TASK)
    }

    /// The partition used for products with a `width x width` result per task (Gram
    /// matrices): at most 8 tasks, so that the partial results stay small.
    ///
    /// # Examples
    /// ```
    /// use linmod_linalg_core::RowBlocks;
    /// assert!(RowBlocks::for_gram(1_000_000, 100).n_tasks() <= 8);
    /// ```
    #[must_use]
    pub fn for_gram(n: usize, width: usize) -> Self {
        let block_rows = block_rows_for(width);
        let n_blocks = n.div_ceil(block_rows).max(1);
        Self::new(n, block_rows, n_blocks.div_ceil(8))
    }

    /// Number of rows.
    #[must_use]
    pub fn n_rows(&self) -> usize {
        self.n
    }

    /// Rows per block (the last block may be shorter).
    #[must_use]
    pub fn block_rows(&self) -> usize {
        self.block_rows
    }

    /// Blocks per task (the last task may have fewer).
    #[must_use]
    pub fn blocks_per_task(&self) -> usize {
        self.blocks_per_task
    }

    /// Number of blocks (0 when there are no rows).
    #[must_use]
    pub fn n_blocks(&self) -> usize {
        self.n.div_ceil(self.block_rows)
    }

    /// Number of tasks (0 when there are no rows).
    #[must_use]
    pub fn n_tasks(&self) -> usize {
        self.n_blocks().div_ceil(self.blocks_per_task)
    }

    /// Rows of block `b`.
    #[must_use]
    pub fn block(&self, b: usize) -> Range<usize> {
        let start = b * self.block_rows;
        start..(start + self.block_rows).min(self.n)
    }

    /// Blocks of task `t`.
    #[must_use]
    pub fn task_blocks(&self, t: usize) -> Range<usize> {
        let start = t * self.blocks_per_task;
        start..(start + self.blocks_per_task).min(self.n_blocks())
    }

    /// Rows of task `t`.
    #[must_use]
    pub fn task_rows(&self, t: usize) -> Range<usize> {
        let blocks = self.task_blocks(t);
        self.block(blocks.start).start..self.block(blocks.end - 1).end
    }
}

fn block_rows_for(width: usize) -> usize {
    let rows = BLOCK_BYTES / (8 * width.max(1));
    let pow2 = if rows == 0 {
        1
    } else {
        1usize << (usize::BITS - 1 - rows.leading_zeros())
    };
    pow2.clamp(MIN_BLOCK_ROWS, MAX_BLOCK_ROWS)
}

/// Runs `f(t, &mut states[t], rows_t)` for every task `t`, where `rows_t` is task `t`'s part
/// of a per-row output buffer (`task_len` entries per task, the last task's part shorter;
/// empty slices when `rows` is empty).
pub(crate) fn for_each_task_rows<S, F>(
    states: &mut [S],
    rows: &mut [f64],
    task_len: usize,
    par: Parallelism,
    f: F,
) where
    S: Send,
    F: Fn(usize, &mut S, &mut [f64]) + Sync + Send,
{
    if rows.is_empty() {
        return for_each_task(states, par, |t, s| f(t, s, &mut []));
    }
    match par {
        Parallelism::Sequential => states
            .iter_mut()
            .zip(rows.chunks_mut(task_len))
            .enumerate()
            .for_each(|(t, (s, r))| f(t, s, r)),
        Parallelism::Rayon => states
            .par_iter_mut()
            .zip(rows.par_chunks_mut(task_len))
            .enumerate()
            .for_each(|(t, (s, r))| f(t, s, r)),
    }
}

/// Runs `f(t, &mut states[t])` for every task `t`, sequentially in order or on rayon.
///
/// Each task owns its state, so the outcome never depends on the schedule.
pub(crate) fn for_each_task<S, F>(states: &mut [S], par: Parallelism, f: F)
where
    S: Send,
    F: Fn(usize, &mut S) + Sync + Send,
{
    match par {
        Parallelism::Sequential => states.iter_mut().enumerate().for_each(|(t, s)| f(t, s)),
        Parallelism::Rayon => states.par_iter_mut().enumerate().for_each(|(t, s)| f(t, s)),
    }
}

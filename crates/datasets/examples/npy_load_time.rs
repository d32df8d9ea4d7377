//! Times `read_npy_matrix` against a plain read of the same file, and reports the peak memory.
//!
//! ```sh
//! cargo run --release -p linmod-datasets --example npy_load_time -- write /tmp/x.npy 1000000 100 c
//! cargo run --release -p linmod-datasets --example npy_load_time -- read /tmp/x.npy
//! ```
//! `write` makes a file of the given shape and order (`c` or `f`). `read` brings the file into
//! the page cache, then takes the best of five runs of three reads: into a reused 1 MiB buffer
//! (like `cat file > /dev/null`), into a new `Vec` (`std::fs::read`, which also pays for
//! faulting in fresh memory, as any load does), and `read_npy_matrix`.
//!
//! Most of the difference between the first two is the kernel mapping and zeroing 4 KiB pages.
//! With glibc, `GLIBC_TUNABLES=glibc.malloc.hugetlb=1` makes large allocations use transparent
//! huge pages, which cuts that cost several times.

use std::io::Read;
use std::time::Instant;

use linalg_core::Mat;
use linmod_datasets::{NpyOrder, read_npy_matrix, write_npy_matrix};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["write", path, n, p, order] => {
            let (n, p): (usize, usize) = (n.parse()?, p.parse()?);
            let order = if *order == "f" {
                NpyOrder::Fortran
            } else {
                NpyOrder::C
            };
            let x = Mat::from_fn(n, p, |i, j| ((i * 31 + j * 17) % 1000) as f64 / 7.0);
            write_npy_matrix(path, x.as_ref(), order)?;
        }
        ["read", path] => {
            let bytes = std::fs::metadata(path)?.len() as f64;
            raw_read(path)?;
            let (mut raw, mut vec, mut npy) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..5 {
                let t = Instant::now();
                raw_read(path)?;
                raw.push(t.elapsed().as_secs_f64());
                let t = Instant::now();
                let v = std::fs::read(path)?;
                vec.push(t.elapsed().as_secs_f64());
                drop(std::hint::black_box(v));
                let t = Instant::now();
                let x = read_npy_matrix(path)?;
                npy.push(t.elapsed().as_secs_f64());
                std::hint::black_box(&x);
            }
            let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
            println!(
                "{:.0} MB: read into a 1 MiB buffer {:.0} ms, std::fs::read {:.0} ms, \
                 read_npy_matrix {:.0} ms",
                bytes / 1e6,
                min(&raw) * 1e3,
                min(&vec) * 1e3,
                min(&npy) * 1e3,
            );
            if let Some(peak) = peak_rss_bytes() {
                println!(
                    "peak resident memory {:.0} MB = {:.3} x file size",
                    peak / 1e6,
                    peak / bytes
                );
            }
        }
        _ => return Err("usage: npy_load_time write PATH N P c|f | read PATH".into()),
    }
    Ok(())
}

fn raw_read(path: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 1 << 20];
    while file.read(&mut buf)? > 0 {}
    std::hint::black_box(&buf);
    Ok(())
}

/// `VmHWM` of `/proc/self/status` (Linux only).
fn peak_rss_bytes() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024.0)
}

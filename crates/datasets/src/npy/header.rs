//! The `.npy` header: element types, the header dict, opening a file and writing a header.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::{DatasetError, Result, shape_text};

/// The longest header accepted; numpy writes fewer than 200 bytes.
const MAX_HEADER_BYTES: usize = 1 << 20;

const MAGIC: &[u8; 6] = b"\x93NUMPY";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    F64,
    F32,
    I64,
    I32,
    I16,
    I8,
    U64,
    U32,
    U16,
    U8,
}

/// A supported element type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Dtype {
    kind: Kind,
    big_endian: bool,
}

impl Dtype {
    /// Parses a simple `descr` such as `<f8`, `>i4` or `|u1`.
    fn parse(descr: &str) -> Option<Self> {
        let mut chars = descr.chars();
        let order = chars.next()?;
        let kind = match chars.as_str() {
            "f8" => Kind::F64,
            "f4" => Kind::F32,
            "i8" => Kind::I64,
            "i4" => Kind::I32,
            "i2" => Kind::I16,
            "i1" => Kind::I8,
            "u8" => Kind::U64,
            "u4" => Kind::U32,
            "u2" => Kind::U16,
            "u1" => Kind::U8,
            _ => return None,
        };
        let one_byte = matches!(kind, Kind::I8 | Kind::U8);
        let big_endian = match order {
            '<' => false,
            '>' => true,
            '=' => cfg!(target_endian = "big"),
            '|' if one_byte => false,
            _ => return None,
        };
        Some(Self { kind, big_endian })
    }

    /// Whether the elements are `f64` in this machine's byte order, readable without
    /// conversion.
    pub(super) fn is_native_f64(self) -> bool {
        self.kind == Kind::F64 && self.big_endian == cfg!(target_endian = "big")
    }

    pub(super) fn size(self) -> usize {
        match self.kind {
            Kind::F64 | Kind::I64 | Kind::U64 => 8,
            Kind::F32 | Kind::I32 | Kind::U32 => 4,
            Kind::I16 | Kind::U16 => 2,
            Kind::I8 | Kind::U8 => 1,
        }
    }

    /// Decodes `out.len()` elements from `bytes` (exactly `out.len() * size` bytes long);
    /// returns whether all of them are finite.
    pub(super) fn decode(self, bytes: &[u8], out: &mut [f64]) -> bool {
        macro_rules! decode_as {
            ($t:ty, $to_f64:expr) => {
                if self.big_endian {
                    convert(bytes, out, |a| $to_f64(<$t>::from_be_bytes(a)))
                } else {
                    convert(bytes, out, |a| $to_f64(<$t>::from_le_bytes(a)))
                }
            };
        }
        // 64-bit integers beyond 2^53 round to the nearest f64, as numpy's astype does.
        #[allow(clippy::cast_precision_loss)]
        match self.kind {
            Kind::F64 => decode_as!(f64, |v: f64| v),
            Kind::F32 => decode_as!(f32, f64::from),
            Kind::I64 => decode_as!(i64, |v: i64| v as f64),
            Kind::I32 => decode_as!(i32, f64::from),
            Kind::I16 => decode_as!(i16, f64::from),
            Kind::I8 => decode_as!(i8, f64::from),
            Kind::U64 => decode_as!(u64, |v: u64| v as f64),
            Kind::U32 => decode_as!(u32, f64::from),
            Kind::U16 => decode_as!(u16, f64::from),
            Kind::U8 => decode_as!(u8, f64::from),
        }
    }
}

/// Converts `N`-byte elements with `f`; returns whether all results are finite (folded into
/// the conversion, which saves a pass over the chunk).
#[inline]
fn convert<const N: usize>(bytes: &[u8], out: &mut [f64], f: impl Fn([u8; N]) -> f64) -> bool {
    let mut finite = true;
    for (o, &a) in out.iter_mut().zip(bytes.as_chunks::<N>().0) {
        *o = f(a);
        finite &= o.is_finite();
    }
    finite
}

// ---------------------------------------------------------------------------------------------
// Header

/// What the header says about the data.
#[derive(Debug)]
pub(super) struct Header {
    pub dtype: Dtype,
    pub fortran_order: bool,
    pub shape: Vec<usize>,
}

/// A value of the Python literal subset used by `.npy` headers.
#[derive(Debug)]
enum Py {
    Str(String),
    Bool(bool),
    Int(u64),
    Seq(Vec<Py>),
}

/// A recursive-descent parser for the header dict.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> std::result::Result<(), String> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected `{}` at byte {}", c as char, self.pos))
        }
    }

    fn text(&self, from: usize) -> String {
        String::from_utf8_lossy(&self.s[from..self.pos]).into_owned()
    }

    fn value(&mut self) -> std::result::Result<Py, String> {
        let start = self.pos;
        match self.peek() {
            Some(q @ (b'\'' | b'"')) => {
                self.pos += 1;
                let from = self.pos;
                while self.s.get(self.pos).is_some_and(|&c| c != q) {
                    self.pos += 1;
                }
                let text = self.text(from);
                self.expect(q)?;
                Ok(Py::Str(text))
            }
            Some(open @ (b'(' | b'[')) => {
                let close = if open == b'(' { b')' } else { b']' };
                self.pos += 1;
                let mut items = Vec::new();
                while self.peek() != Some(close) {
                    items.push(self.value()?);
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                self.expect(close)?;
                Ok(Py::Seq(items))
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                let from = self.pos;
                while self.s.get(self.pos).is_some_and(u8::is_ascii_alphanumeric) {
                    self.pos += 1;
                }
                let word = self.text(from);
                match word.as_str() {
                    "True" => Ok(Py::Bool(true)),
                    "False" => Ok(Py::Bool(false)),
                    // Python 2 wrote long integers with an `L` suffix.
                    w => w
                        .strip_suffix('L')
                        .unwrap_or(w)
                        .parse()
                        .map(Py::Int)
                        .map_err(|_| format!("unexpected `{word}`")),
                }
            }
            _ => Err(format!("unexpected input at byte {start}")),
        }
    }

    /// The dict as `(key, value, value text)` entries.
    fn dict(&mut self) -> std::result::Result<Vec<(String, Py, String)>, String> {
        self.expect(b'{')?;
        let mut entries = Vec::new();
        while self.peek() != Some(b'}') {
            let Py::Str(key) = self.value()? else {
                return Err("dict keys must be strings".into());
            };
            self.expect(b':')?;
            self.skip_ws();
            let from = self.pos;
            let value = self.value()?;
            entries.push((key, value, self.text(from)));
            if self.peek() == Some(b',') {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.expect(b'}')?;
        Ok(entries)
    }
}

fn parse_header(text: &[u8], file: &Path) -> Result<Header> {
    let bad = |reason: String| DatasetError::NpyBadHeader {
        file: file.to_path_buf(),
        reason,
    };
    let entries = Parser { s: text, pos: 0 }.dict().map_err(bad)?;
    let get = |key: &str| {
        entries
            .iter()
            .find(|e| e.0 == key)
            .ok_or_else(|| bad(format!("no `{key}` entry")))
    };
    let (_, descr, descr_text) = get("descr")?;
    let dtype = match descr {
        Py::Str(s) => Dtype::parse(s),
        _ => None,
    }
    .ok_or_else(|| DatasetError::NpyUnsupportedDtype {
        file: file.to_path_buf(),
        dtype: descr_text.clone(),
    })?;
    let Py::Bool(fortran_order) = get("fortran_order")?.1 else {
        return Err(bad("`fortran_order` is not True or False".into()));
    };
    let Py::Seq(dims) = &get("shape")?.1 else {
        return Err(bad("`shape` is not a tuple".into()));
    };
    let shape = dims
        .iter()
        .map(|d| match d {
            Py::Int(v) => usize::try_from(*v).ok(),
            _ => None,
        })
        .collect::<Option<Vec<usize>>>()
        .ok_or_else(|| bad("`shape` is not a tuple of sizes".into()))?;
    Ok(Header {
        dtype,
        fortran_order,
        shape,
    })
}

/// An open `.npy` file (or byte slice) positioned at its data.
pub(super) struct NpyFile<R> {
    pub file: R,
    pub path: PathBuf,
    pub header: Header,
    /// Bytes after the header.
    pub data_bytes: u64,
}

/// Opens an `.npy` file and reads its header, leaving the file at the first element.
pub(super) fn open(path: &Path) -> Result<NpyFile<File>> {
    let io_err = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    open_reader(file, len, path)
}

/// Reads the header of `.npy` data of `len` bytes from `file`, leaving it at the first
/// element; `path` names the data in errors. The length lets the size the header announces
/// be checked before anything is allocated for the data.
pub(super) fn open_reader<R: Read>(mut file: R, len: u64, path: &Path) -> Result<NpyFile<R>> {
    let io_err = |source| DatasetError::Io {
        file: path.to_path_buf(),
        source,
    };
    if len == 0 {
        return Err(DatasetError::EmptyInput {
            file: path.to_path_buf(),
            reason: "the file is empty",
        });
    }
    let mut pre = [0u8; 8];
    let got = read_up_to(&mut file, &mut pre).map_err(io_err)?;
    if got < 8 || &pre[..6] != MAGIC {
        return Err(DatasetError::NpyBadMagic {
            file: path.to_path_buf(),
        });
    }
    let bad = |reason: String| DatasetError::NpyBadHeader {
        file: path.to_path_buf(),
        reason,
    };
    let (major, minor) = (pre[6], pre[7]);
    let len_bytes = match major {
        1 => 2,
        2 | 3 => 4,
        _ => return Err(bad(format!("unsupported format version {major}.{minor}"))),
    };
    let mut len_buf = [0u8; 4];
    if read_up_to(&mut file, &mut len_buf[..len_bytes]).map_err(io_err)? < len_bytes {
        return Err(bad("the file ends inside the header".into()));
    }
    let header_len = u32::from_le_bytes(len_buf) as usize;
    if header_len > MAX_HEADER_BYTES {
        return Err(bad(format!(
            "header length {header_len} is implausibly large"
        )));
    }
    let mut text = vec![0u8; header_len];
    if read_up_to(&mut file, &mut text).map_err(io_err)? < header_len {
        return Err(bad("the file ends inside the header".into()));
    }
    let header = parse_header(&text, path)?;
    let data_bytes = len.saturating_sub((8 + len_bytes + header_len) as u64);
    Ok(NpyFile {
        file,
        path: path.to_path_buf(),
        header,
        data_bytes,
    })
}

/// Fills `buf` as far as the reader allows; returns the number of bytes read.
pub(super) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The header of a little-endian `float64` array, padded so that the data start at a multiple
/// of 64 bytes, as numpy does.
pub(super) fn header_bytes(shape: &[usize], fortran_order: bool) -> Vec<u8> {
    let order = if fortran_order { "True" } else { "False" };
    let mut dict = format!(
        "{{'descr': '<f8', 'fortran_order': {order}, 'shape': {}, }}",
        shape_text(shape)
    );
    // Version 1.0 stores the header length in 2 bytes, 2.0 in 4.
    let (version, len_bytes) = if dict.len() + 64 < usize::from(u16::MAX) {
        (1u8, 2)
    } else {
        (2u8, 4)
    };
    let preamble = MAGIC.len() + 2 + len_bytes;
    let padded = (preamble + dict.len() + 1).div_ceil(64) * 64;
    dict.extend(std::iter::repeat_n(' ', padded - preamble - dict.len() - 1));
    dict.push('\n');
    let mut out = Vec::with_capacity(padded);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[version, 0]);
    // The header is at most a few hundred bytes plus the shape's digits.
    let len = u32::try_from(dict.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes()[..len_bytes]);
    out.extend_from_slice(dict.as_bytes());
    out
}

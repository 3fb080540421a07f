//! BCF2 typed values: a type byte (low 4 bits: type, high 4 bits: count, 15 = count
//! follows as a typed integer) followed by little-endian values.

/// A value type code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Type {
    Missing,
    Int8,
    Int16,
    Int32,
    Float,
    Char,
}

impl Type {
    fn from_code(code: u8) -> Result<Self, String> {
        Ok(match code {
            0 => Type::Missing,
            1 => Type::Int8,
            2 => Type::Int16,
            3 => Type::Int32,
            5 => Type::Float,
            7 => Type::Char,
            other => return Err(format!("unsupported BCF value type {other}")),
        })
    }

    /// Bytes per value.
    pub(crate) fn size(self) -> usize {
        match self {
            Type::Missing => 0,
            Type::Int8 | Type::Char => 1,
            Type::Int16 => 2,
            Type::Int32 | Type::Float => 4,
        }
    }
}

/// An integer as stored, with BCF's reserved "missing" and "end of vector" values told
/// apart from ordinary numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Int {
    Value(i32),
    Missing,
    EndOfVector,
}

/// A bounds-checked reader over one record's bytes.
pub(crate) struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| {
                format!(
                    "record ends early: needed {n} more bytes at byte {} of {}",
                    self.pos,
                    self.data.len()
                )
            })?;
        let slice = &self.data[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    /// Bytes consumed so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    /// A type byte and its count.
    pub(crate) fn descriptor(&mut self) -> Result<(Type, usize), String> {
        let byte = self.u8()?;
        let ty = Type::from_code(byte & 0x0f)?;
        let mut count = usize::from(byte >> 4);
        if count == 15 {
            count = match self.typed_int()? {
                Int::Value(n) if n >= 0 => n as usize,
                other => return Err(format!("invalid BCF vector length {other:?}")),
            };
        }
        Ok((ty, count))
    }

    /// One integer value of type `ty`.
    pub(crate) fn int(&mut self, ty: Type) -> Result<Int, String> {
        let bytes = self.take(ty.size())?;
        Ok(decode_int(ty, bytes))
    }

    /// A typed single integer (as used for dictionary keys and vector lengths).
    pub(crate) fn typed_int(&mut self) -> Result<Int, String> {
        let (ty, count) = self.descriptor_no_extension()?;
        if count != 1 || !matches!(ty, Type::Int8 | Type::Int16 | Type::Int32) {
            return Err(format!(
                "expected one typed integer, found {count} value(s) of {ty:?}"
            ));
        }
        self.int(ty)
    }

    fn descriptor_no_extension(&mut self) -> Result<(Type, usize), String> {
        let byte = self.u8()?;
        Ok((Type::from_code(byte & 0x0f)?, usize::from(byte >> 4)))
    }

    /// A typed string (CHAR vector), without trailing NUL padding.
    pub(crate) fn string(&mut self) -> Result<&'a [u8], String> {
        let (ty, count) = self.descriptor()?;
        match ty {
            Type::Char | Type::Missing => {
                let bytes = self.take(count * ty.size())?;
                let len = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
                Ok(&bytes[..len])
            }
            other => Err(format!("expected a string, found {other:?} values")),
        }
    }
}

impl Bytes<'_> {
    /// Skips a typed vector.
    #[inline]
    pub(crate) fn skip_vector(&mut self) -> Result<(), String> {
        let (ty, count) = self.descriptor()?;
        self.take(count.checked_mul(ty.size()).ok_or("BCF vector too large")?)?;
        Ok(())
    }
}

/// Decodes one little-endian integer of type `ty` from `bytes` (which has its size).
pub(crate) fn decode_int(ty: Type, bytes: &[u8]) -> Int {
    let (value, missing, end) = match (ty, bytes) {
        (Type::Int8, &[b]) => (
            i32::from(b as i8),
            i32::from(i8::MIN),
            i32::from(i8::MIN) + 1,
        ),
        (Type::Int16, &[a, b]) => (
            i32::from(i16::from_le_bytes([a, b])),
            i32::from(i16::MIN),
            i32::from(i16::MIN) + 1,
        ),
        (Type::Int32, &[a, b, c, d]) => (i32::from_le_bytes([a, b, c, d]), i32::MIN, i32::MIN + 1),
        _ => return Int::Missing,
    };
    if value == missing {
        Int::Missing
    } else if value == end {
        Int::EndOfVector
    } else {
        Int::Value(value)
    }
}

/// BCF's "missing" float (a signalling NaN bit pattern).
const FLOAT_MISSING: u32 = 0x7F80_0001;
/// BCF's "end of vector" float.
const FLOAT_END: u32 = 0x7F80_0002;

/// Appends the values of one typed vector (`values` holds them all, `ty.size()` bytes
/// each) to `out` as VCF text, the way `bcftools view` prints them: comma-joined, `.` for
/// a missing value, stopping at end-of-vector; a vector with nothing in it prints `.`.
/// Strings lose their NUL padding. Fails only on text that is not UTF-8.
pub(crate) fn render(ty: Type, values: &[u8], out: &mut String) -> Result<(), String> {
    let start = out.len();
    match ty {
        Type::Missing => {}
        Type::Char => {
            let len = values.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
            let text = std::str::from_utf8(&values[..len])
                .map_err(|_| "a BCF string value is not valid UTF-8 text".to_string())?;
            out.push_str(text);
        }
        Type::Int8 | Type::Int16 | Type::Int32 => {
            for (i, chunk) in values.chunks_exact(ty.size()).enumerate() {
                let value = decode_int(ty, chunk);
                if value == Int::EndOfVector {
                    break;
                }
                if i > 0 {
                    out.push(',');
                }
                match value {
                    Int::Value(v) => push_int(v, out),
                    _ => out.push('.'),
                }
            }
        }
        Type::Float => {
            for (i, chunk) in values.chunks_exact(4).enumerate() {
                let bits = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
                if bits == FLOAT_END {
                    break;
                }
                if i > 0 {
                    out.push(',');
                }
                if bits == FLOAT_MISSING {
                    out.push('.');
                } else {
                    push_float(f64::from(f32::from_bits(bits)), out);
                }
            }
        }
    }
    if out.len() == start {
        out.push('.');
    }
    Ok(())
}

fn push_int(value: i32, out: &mut String) {
    use std::fmt::Write;
    // Writing to a String cannot fail.
    let _ = write!(out, "{value}");
}

/// C's `%g` (six significant digits, trailing zeros dropped, exponent form below 1e-4 and
/// from 1e6), which is what htslib prints for BCF floats; written fresh here so that VCF
/// and BCF inputs give the same text for the same values.
pub(crate) fn push_float(value: f64, out: &mut String) {
    use std::fmt::Write;
    if value.is_nan() {
        out.push_str("nan");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if value == 0.0 {
        out.push_str(if value.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    let start = out.len();
    // Rounding to six significant digits first decides the exponent (9.999995 -> 1e+01).
    let _ = write!(out, "{value:.5e}");
    let exponent: i32 = out[start..]
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if (-4..6).contains(&exponent) {
        out.truncate(start);
        let decimals = usize::try_from(5 - exponent).unwrap_or(0);
        let _ = write!(out, "{value:.decimals$}");
        trim_fraction(out, start);
    } else {
        let e_at = out[start..].find('e').map_or(out.len(), |i| start + i);
        let mut mantissa_end = e_at;
        if out[start..e_at].contains('.') {
            let bytes = out.as_bytes();
            while mantissa_end > start && bytes[mantissa_end - 1] == b'0' {
                mantissa_end -= 1;
            }
            if mantissa_end > start && bytes[mantissa_end - 1] == b'.' {
                mantissa_end -= 1;
            }
        }
        out.replace_range(mantissa_end.., "");
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "e{sign}{:02}", exponent.unsigned_abs());
    }
}

/// Drops trailing zeros (and a bare `.`) from the decimal number written at `start..`.
fn trim_fraction(out: &mut String, start: usize) {
    if !out[start..].contains('.') {
        return;
    }
    while out.ends_with('0') {
        out.pop();
    }
    if out.ends_with('.') {
        out.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(value: f64) -> String {
        let mut s = String::new();
        push_float(value, &mut s);
        s
    }

    #[test]
    fn floats_print_like_c_percent_g() {
        let cases: [(f64, &str); 16] = [
            (0.25, "0.25"),
            (1.0, "1"),
            (0.1, "0.1"),
            (100.0, "100"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.000123456789, "0.000123457"),
            (-2.5, "-2.5"),
            (999999.5, "1e+06"),
            (9.9999996, "10"),
            (3.0e-12, "3e-12"),
            (1.5e20, "1.5e+20"),
            (0.0, "0"),
            (0.333333333, "0.333333"),
        ];
        for (value, text) in cases {
            assert_eq!(g(value), text, "{value}");
        }
        // Values as stored in BCF (f32) print as written in the VCF they came from.
        assert_eq!(g(f64::from(0.123_f32)), "0.123");
        assert_eq!(g(f64::from(0.571_f32)), "0.571");
        assert_eq!(g(f64::from(33.3_f32)), "33.3");
        assert_eq!(g(f64::NAN), "nan");
    }

    fn rendered(ty: Type, values: &[u8]) -> String {
        let mut s = String::new();
        render(ty, values, &mut s).unwrap();
        s
    }

    #[test]
    fn vectors_render_with_missing_and_end_of_vector() {
        assert_eq!(rendered(Type::Int8, &[3, 0x80, 5]), "3,.,5");
        assert_eq!(rendered(Type::Int8, &[3, 0x81, 0x81]), "3");
        assert_eq!(rendered(Type::Int8, &[0x81]), ".");
        assert_eq!(rendered(Type::Int8, &[0x80]), ".");
        assert_eq!(rendered(Type::Int16, &[0x2c, 0x01, 0xff, 0xff]), "300,-1");
        let mut floats = Vec::new();
        floats.extend(0.5f32.to_le_bytes());
        floats.extend(FLOAT_MISSING.to_le_bytes());
        floats.extend(FLOAT_END.to_le_bytes());
        assert_eq!(rendered(Type::Float, &floats), "0.5,.");
        assert_eq!(rendered(Type::Char, b"a,b\0\0"), "a,b");
        assert_eq!(rendered(Type::Char, b"\0"), ".");
        assert_eq!(rendered(Type::Missing, &[]), ".");
        let mut s = String::new();
        assert!(render(Type::Char, &[0xff], &mut s).is_err());
    }

    #[test]
    fn reads_descriptors_ints_and_strings() {
        // int8 vector of 2: [5, missing]; string "AC" padded; int16 single 300.
        let data = [0x21, 5, 0x80, 0x37, b'A', b'C', 0, 0x12, 0x2c, 0x01];
        let mut b = Bytes::new(&data);
        assert_eq!(b.descriptor().unwrap(), (Type::Int8, 2));
        assert_eq!(b.int(Type::Int8).unwrap(), Int::Value(5));
        assert_eq!(b.int(Type::Int8).unwrap(), Int::Missing);
        assert_eq!(b.string().unwrap(), b"AC");
        assert_eq!(b.typed_int().unwrap(), Int::Value(300));
        assert!(b.u8().is_err());
    }

    #[test]
    fn long_vectors_carry_their_count_as_a_typed_int() {
        let mut data = vec![0xf7, 0x11, 20];
        data.extend(std::iter::repeat_n(b'x', 20));
        let mut b = Bytes::new(&data);
        assert_eq!(b.string().unwrap().len(), 20);
    }

    #[test]
    fn sentinels_are_recognised_per_width() {
        assert_eq!(decode_int(Type::Int8, &[0x81]), Int::EndOfVector);
        assert_eq!(decode_int(Type::Int16, &[0x00, 0x80]), Int::Missing);
        assert_eq!(decode_int(Type::Int32, &[1, 0, 0, 0x80]), Int::EndOfVector);
        assert_eq!(
            decode_int(Type::Int32, &[0xff, 0xff, 0xff, 0xff]),
            Int::Value(-1)
        );
    }

    #[test]
    fn rejects_reserved_types_and_overruns() {
        let mut b = Bytes::new(&[0x14]);
        assert!(b.descriptor().is_err());
        let mut b = Bytes::new(&[0x37, b'A']);
        assert!(b.string().is_err());
        let mut b = Bytes::new(&[0xf7, 0x11, 0x80]);
        assert!(b.string().is_err());
    }
}

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

    /// Skips a typed vector.
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

#[cfg(test)]
mod tests {
    use super::*;

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

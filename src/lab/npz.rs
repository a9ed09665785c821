//! A minimal NumPy `.npz` writer: `.npy` (format 1.0) arrays in an uncompressed ("stored")
//! zip archive, written with `std` only so it builds for wasm32 as for native.
//! `numpy.load` reads the result; so does any zip tool.

use crate::error::{Error, Result};

/// Largest archive written (the zip format without its zip64 extension stops at 4 GiB;
/// the browser would give out well before).
pub const MAX_NPZ_BYTES: usize = 1 << 31;

/// An `.npz` archive being assembled in memory.
#[derive(Debug, Default)]
pub struct Npz {
    bytes: Vec<u8>,
    central: Vec<u8>,
    count: u16,
}

/// CRC-32 (IEEE 802.3, the zip checksum), bitwise with a 256-entry table.
pub fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, slot) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *slot = c;
    }
    let mut crc = !0u32;
    for b in data {
        crc = table[((crc ^ *b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// A `.npy` (format 1.0) file: `descr` (`<f4`, `<i8`, `<U7`, ...), C-order `shape` (empty
/// for a 0-d array) and the little-endian element bytes.
pub fn npy(descr: &str, shape: &[usize], data: &[u8]) -> Result<Vec<u8>> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape_text = match dims.len() {
        0 => "()".to_string(),
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut header =
        format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}");
    // magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let header_len = u16::try_from(header.len()).map_err(|_| {
        Error::field(
            "npy shape",
            shape_text.clone(),
            "gives a header longer than 65535 bytes",
        )
    })?;
    let mut bytes = Vec::with_capacity(10 + header.len() + data.len());
    bytes.extend_from_slice(b"\x93NUMPY\x01\x00");
    bytes.extend_from_slice(&header_len.to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    Ok(bytes)
}

/// A `.npy` file of the row-major float32 array `data` of `shape` (its length checked
/// against the shape).
pub fn npy_f32(data: &[f32], shape: &[usize]) -> Result<Vec<u8>> {
    check_count("npy", data.len(), shape)?;
    let raw: Vec<u8> = data.iter().flat_map(|x| x.to_le_bytes()).collect();
    npy("<f4", shape, &raw)
}

fn check_count(name: &str, len: usize, shape: &[usize]) -> Result<()> {
    let count: usize = shape.iter().product();
    if len == count {
        Ok(())
    } else {
        Err(Error::Shape {
            what: "npz array",
            expected: format!("{name}: {count} values for shape {shape:?}"),
            actual: len.to_string(),
        })
    }
}

impl Npz {
    /// An empty archive.
    pub fn new() -> Self {
        Npz::default()
    }

    /// Add `name.npy` holding the row-major float32 array `data` of `shape`.
    pub fn add_f32(&mut self, name: &str, data: &[f32], shape: &[usize]) -> Result<()> {
        check_count(name, data.len(), shape)?;
        self.add_file(name, &npy_f32(data, shape)?)
    }

    /// Add `name.npy` holding the row-major int64 array `data` of `shape`.
    pub fn add_i64(&mut self, name: &str, data: &[i64], shape: &[usize]) -> Result<()> {
        check_count(name, data.len(), shape)?;
        let raw: Vec<u8> = data.iter().flat_map(|x| x.to_le_bytes()).collect();
        self.add_file(name, &npy("<i8", shape, &raw)?)
    }

    /// Add `name.npy` holding `text` as a 0-d unicode array (`str(z[name])` in NumPy).
    pub fn add_str(&mut self, name: &str, text: &str) -> Result<()> {
        let chars = text.chars().count().max(1);
        let mut raw: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        raw.resize(4 * chars, 0);
        self.add_file(name, &npy(&format!("<U{chars}"), &[], &raw)?)
    }

    /// Store `data` as the zip member `name.npy`.
    fn add_file(&mut self, name: &str, data: &[u8]) -> Result<()> {
        let file_name = format!("{name}.npy");
        let offset = self.bytes.len();
        if offset + data.len() + self.central.len() + 256 > MAX_NPZ_BYTES {
            return Err(Error::field(
                "npz size",
                offset + data.len(),
                "must stay below 2 GiB",
            ));
        }
        self.count = self
            .count
            .checked_add(1)
            .ok_or_else(|| Error::field("npz arrays", self.count, "must be < 65535"))?;
        let crc = crc32(data);
        let size = data.len() as u32;
        let name_len = file_name.len() as u16;
        // local file header: version 2.0, no flags, stored, DOS date 1980-01-01
        let mut local = Vec::with_capacity(30 + file_name.len());
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        for v in [crc, size, size] {
            local.extend_from_slice(&v.to_le_bytes());
        }
        local.extend_from_slice(&name_len.to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(file_name.as_bytes());
        self.bytes.extend_from_slice(&local);
        self.bytes.extend_from_slice(data);
        // central directory entry
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        for v in [crc, size, size] {
            c.extend_from_slice(&v.to_le_bytes());
        }
        c.extend_from_slice(&name_len.to_le_bytes());
        c.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        c.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        c.extend_from_slice(&(offset as u32).to_le_bytes());
        c.extend_from_slice(file_name.as_bytes());
        Ok(())
    }

    /// The finished archive (central directory and end record appended).
    pub fn finish(mut self) -> Vec<u8> {
        let directory_offset = self.bytes.len() as u32;
        let directory_size = self.central.len() as u32;
        self.bytes.append(&mut self.central);
        self.bytes.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        self.bytes.extend_from_slice(&[0, 0, 0, 0]);
        self.bytes.extend_from_slice(&self.count.to_le_bytes());
        self.bytes.extend_from_slice(&self.count.to_le_bytes());
        self.bytes.extend_from_slice(&directory_size.to_le_bytes());
        self.bytes
            .extend_from_slice(&directory_offset.to_le_bytes());
        self.bytes.extend_from_slice(&0u16.to_le_bytes());
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(b: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn npy_headers_are_aligned_and_describe_the_array() {
        let file = npy("<f4", &[2, 3], &[0; 24]).unwrap();
        let header_len = u16::from_le_bytes([file[8], file[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        let header = std::str::from_utf8(&file[10..10 + header_len]).unwrap();
        assert!(
            header.contains("'shape': (2, 3)") && header.ends_with('\n'),
            "{header}"
        );
        assert_eq!(file.len(), 10 + header_len + 24);
        let scalar = npy("<U3", &[], &[0; 12]).unwrap();
        assert!(std::str::from_utf8(&scalar[10..])
            .unwrap()
            .contains("'shape': ()"));
    }

    #[test]
    fn npy_f32_writes_the_values_little_endian_after_the_header() {
        let file = npy_f32(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &[2, 3]).unwrap();
        assert_eq!(&file[..8], b"\x93NUMPY\x01\x00");
        let header_len = u16::from_le_bytes([file[8], file[9]]) as usize;
        assert!(std::str::from_utf8(&file[10..10 + header_len])
            .unwrap()
            .contains("'descr': '<f4'"));
        let values: Vec<f32> = file[10 + header_len..]
            .chunks(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        assert_eq!(values, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert!(npy_f32(&[1.0], &[2]).is_err());
    }

    #[test]
    fn the_archive_directory_points_at_every_member() {
        let mut npz = Npz::new();
        npz.add_f32("a", &[1.0, 2.0], &[2]).unwrap();
        npz.add_str("config", "{\"ü\": 1}").unwrap();
        assert!(npz.add_i64("bad", &[1, 2, 3], &[2]).is_err());
        let bytes = npz.finish();
        let end = bytes.len() - 22;
        assert_eq!(u32_at(&bytes, end), 0x0605_4b50);
        assert_eq!(u16::from_le_bytes([bytes[end + 10], bytes[end + 11]]), 2);
        let mut entry = u32_at(&bytes, end + 16) as usize;
        for name in ["a.npy", "config.npy"] {
            assert_eq!(u32_at(&bytes, entry), 0x0201_4b50);
            let local = u32_at(&bytes, entry + 42) as usize;
            assert_eq!(u32_at(&bytes, local), 0x0403_4b50);
            let size = u32_at(&bytes, local + 18) as usize;
            let name_len = u16::from_le_bytes([bytes[local + 26], bytes[local + 27]]) as usize;
            assert_eq!(&bytes[local + 30..local + 30 + name_len], name.as_bytes());
            let data = &bytes[local + 30 + name_len..local + 30 + name_len + size];
            assert_eq!(crc32(data), u32_at(&bytes, local + 14));
            assert_eq!(&data[..6], b"\x93NUMPY");
            entry += 46 + name_len;
        }
    }
}

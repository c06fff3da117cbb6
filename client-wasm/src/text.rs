//! Messages for people, put together without `core::fmt`: formatting would ship its machinery
//! (several kilobytes) to every page for the sake of a few error messages.

use alloc::string::String;

/// The pieces one after the other: `[a, b].concat()` in less code (the standard library's
/// join also serves separators and checks for overflow in a first pass).
pub fn concat(pieces: &[&str]) -> String {
    let mut text = String::new();
    for piece in pieces {
        text.push_str(piece);
    }
    text
}

/// `n` in decimal.
pub fn decimal(mut n: u32) -> String {
    let mut digits = [0u8; 10];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // SAFETY: ASCII digits are UTF-8.
    unsafe { core::str::from_utf8_unchecked(&digits[start..]) }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenates() {
        assert_eq!(concat(&["a", "", "bc"]), "abc");
        assert_eq!(concat(&[]), "");
    }

    #[test]
    fn writes_decimal_numbers() {
        for n in [0, 7, 10, 65_536, 2_147_483_647, u32::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}

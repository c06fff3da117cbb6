//! How deeply a JSON text nests, found by one pass over its bytes.

/// The deepest nesting of arrays and objects in `json` (0 for a scalar). Brackets inside
/// strings do not count. Meant for JSON that already parsed; on other text the result is
/// merely some number.
pub fn json_depth(json: &str) -> usize {
    let mut depth: usize = 0;
    let mut deepest = 0;
    let mut in_string = false;
    let mut escaped = false;
    for byte in json.bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_arrays_and_objects_not_strings() {
        assert_eq!(json_depth("1"), 0);
        assert_eq!(json_depth(r#"{"a":[1,{"b":[]}]}"#), 4);
        assert_eq!(json_depth(r#"["[[[[", "\"]]"]"#), 1);
        assert_eq!(
            json_depth(&format!("{}{}", "[".repeat(500), "]".repeat(500))),
            500
        );
    }
}

//! The `<Key=value,Key="quoted, value">` part of structured header lines.

/// Parses the inside of `<...>` into key/value pairs, honouring double quotes (which may
/// contain commas and `\"` escapes). Returns a message saying what is wrong otherwise.
pub(crate) fn parse(value: &str) -> Result<Vec<(String, String)>, String> {
    let inner = value
        .strip_prefix('<')
        .and_then(|v| v.strip_suffix('>'))
        .ok_or_else(|| format!("structured value must be enclosed in <...>, found {value:?}"))?;
    let mut fields = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        let mut key = String::new();
        let mut has_equals = false;
        for c in chars.by_ref() {
            if c == '=' {
                has_equals = true;
                break;
            }
            key.push(c);
        }
        let key = key.trim().to_string();
        if key.is_empty() {
            return Err(format!("empty key in <{inner}>"));
        }
        if !has_equals {
            return Err(format!("expected {key}=value in <{inner}>"));
        }
        let mut val = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some(escaped) => val.push(escaped),
                        None => break,
                    },
                    '"' => {
                        closed = true;
                        break;
                    }
                    c => val.push(c),
                }
            }
            if !closed {
                return Err(format!("unterminated quoted value for {key} in <{inner}>"));
            }
            match chars.next() {
                None => {
                    fields.push((key, val));
                    return Ok(fields);
                }
                Some(',') => {}
                Some(c) => {
                    return Err(format!(
                        "expected ',' after the quoted value of {key}, found {c:?}"
                    ))
                }
            }
        } else {
            let mut ended = true;
            for c in chars.by_ref() {
                if c == ',' {
                    ended = false;
                    break;
                }
                val.push(c);
            }
            if ended {
                fields.push((key, val));
                return Ok(fields);
            }
        }
        fields.push((key, val));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_values_with_commas_and_escapes() {
        let f = parse(r#"<ID=DP,Number=1,Type=Integer,Description="Depth, \"raw\"">"#).unwrap();
        assert_eq!(f[0], ("ID".into(), "DP".into()));
        assert_eq!(f[3], ("Description".into(), "Depth, \"raw\"".into()));
    }

    #[test]
    fn parses_unquoted_values_and_empty_value() {
        let f = parse("<ID=chr1,length=248956422,md5=>").unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(f[2], ("md5".into(), String::new()));
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse("<ID=chr1").is_err());
        assert!(parse("ID=chr1>").is_err());
        assert!(parse(r#"<ID=x,Description="open>"#).is_err());
        assert!(parse("<=x>").is_err());
        assert!(parse("<ID>").is_err());
        assert!(parse("<ID=x,Flag>").is_err());
        assert!(parse(r#"<ID=x,Description="a"b>"#).is_err());
    }
}

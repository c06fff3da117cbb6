//! The conversions every validated name type shares: shown, serialized and deserialized as its
//! plain string, and never deserialized without passing `parse`.

/// Implements `Display`, `AsRef<str>`, `FromStr`, `Serialize` and `Deserialize` for a
/// `struct Name(String)` that has `fn parse(&str) -> Result<Name, Error>`.
macro_rules! impl_validated_name {
    ($name:ident, $error:ident) => {
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl core::str::FromStr for $name {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = String::deserialize(deserializer)?;
                Self::parse(&name).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use impl_validated_name;

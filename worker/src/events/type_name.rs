//! Default names for events and listeners, from their Rust type.

/// The last path segment of `T`'s type name, without generics: `MessagePosted` for
/// `my_app::events::MessagePosted`.
pub fn short_type_name<T: ?Sized>() -> String {
    let full = std::any::type_name::<T>();
    let without_generics = full.split('<').next().unwrap_or(full);
    without_generics
        .rsplit("::")
        .next()
        .unwrap_or(without_generics)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct MessagePosted;
    struct Wrapper<T>(T);

    #[test]
    fn the_last_segment_without_generics() {
        assert_eq!(short_type_name::<MessagePosted>(), "MessagePosted");
        assert_eq!(short_type_name::<Wrapper<MessagePosted>>(), "Wrapper");
    }
}

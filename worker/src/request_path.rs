//! The path of a request URL as the runtime serializes it, read without parsing the URL.

/// The path of `url` (`/broadcast` for `https://host:8787/broadcast?x=1`). The runtime hands
/// over absolute URLs with a special scheme, whose path begins at the first `/` after the
/// authority and in which `?` and `#` only ever start the query and the fragment.
pub fn request_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let rest = &url[after_scheme..];
    let path = match rest.find(['/', '?', '#']) {
        Some(start) if rest[start..].starts_with('/') => &rest[start..],
        _ => return "/",
    };
    path.find(['?', '#']).map_or(path, |end| &path[..end])
}

#[cfg(test)]
mod tests {
    use super::request_path;

    #[test]
    fn reads_the_path_alone() {
        assert_eq!(request_path("https://example.com/broadcast"), "/broadcast");
        assert_eq!(
            request_path("http://127.0.0.1:8787/ws/channel/news?token=a/b#c"),
            "/ws/channel/news"
        );
        assert_eq!(request_path("https://example.com"), "/");
        assert_eq!(request_path("https://example.com?x=/y"), "/");
        assert_eq!(request_path("https://example.com/a#/b?c"), "/a");
    }
}

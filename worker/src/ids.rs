//! Random ids from the runtime's `crypto.randomUUID()`: unguessable, so a socket id cannot be
//! used to aim `except` at someone else's socket.

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    fn random_uuid() -> String;
}

/// A fresh random UUID.
pub fn random_id() -> String {
    random_uuid()
}

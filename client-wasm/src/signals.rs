//! The browser's hints that a connection attempt is worth making now: the network came back
//! (`online`) or the page became visible again (`visibilitychange`), typically after a laptop
//! slept or a phone switched networks.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use web_sys::EventTarget;

use crate::js::global_this;

/// Why the browser woke the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `online` fired on the global object.
    Online,
    /// The page became visible again.
    Visible,
}

/// The two listeners, registered while the client is active. Dropping this removes them and
/// frees their closures.
pub struct BrowserSignals {
    global: EventTarget,
    document: Option<EventTarget>,
    on_online: Closure<dyn FnMut()>,
    on_visibility: Closure<dyn FnMut()>,
}

impl BrowserSignals {
    /// Listens on the page (or worker) global and, where there is one, its document.
    pub fn listen(mut notify: impl FnMut(Signal) + Clone + 'static) -> Option<Self> {
        let global: EventTarget = global_this().dyn_into().ok()?;
        let document = Reflect::get(&global, &"document".into())
            .ok()
            .and_then(|document| document.dyn_into::<EventTarget>().ok());
        let on_online = {
            let mut notify = notify.clone();
            Closure::<dyn FnMut()>::new(move || notify(Signal::Online))
        };
        let on_visibility = {
            let document = document.clone();
            Closure::<dyn FnMut()>::new(move || {
                let hidden = document
                    .as_ref()
                    .and_then(|document| Reflect::get(document, &"hidden".into()).ok())
                    .is_some_and(|hidden| hidden.is_truthy());
                if !hidden {
                    notify(Signal::Visible);
                }
            })
        };
        let _ =
            global.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
        if let Some(document) = &document {
            let _ = document.add_event_listener_with_callback(
                "visibilitychange",
                on_visibility.as_ref().unchecked_ref(),
            );
        }
        Some(Self {
            global,
            document,
            on_online,
            on_visibility,
        })
    }
}

impl Drop for BrowserSignals {
    fn drop(&mut self) {
        let _ = self
            .global
            .remove_event_listener_with_callback("online", self.on_online.as_ref().unchecked_ref());
        if let Some(document) = &self.document {
            let _ = document.remove_event_listener_with_callback(
                "visibilitychange",
                self.on_visibility.as_ref().unchecked_ref(),
            );
        }
    }
}

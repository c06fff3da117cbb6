//! The browser's hints that a connection attempt is worth making now: the network came back
//! (`online`) or the page became visible again (`visibilitychange`), typically after a laptop
//! slept or a phone switched networks.

use wasm_bindgen::prelude::*;

// Registering and removing both listeners in JavaScript: two imports instead of the event
// target bindings, and the `hidden` check happens where the document is.
#[wasm_bindgen(inline_js = "
export function listenForSignals(notify) {
  const global = globalThis;
  if (typeof global.addEventListener !== 'function') return undefined;
  const document = global.document;
  const online = () => notify(true);
  const visibility = () => { if (!document.hidden) notify(false); };
  global.addEventListener('online', online);
  document?.addEventListener('visibilitychange', visibility);
  return () => {
    global.removeEventListener('online', online);
    document?.removeEventListener('visibilitychange', visibility);
  };
}
export function stopSignals(stop) {
  stop();
}
")]
extern "C" {
    #[wasm_bindgen(js_name = listenForSignals)]
    fn listen_for_signals(notify: &Closure<dyn FnMut(bool)>) -> JsValue;

    #[wasm_bindgen(js_name = stopSignals)]
    fn stop_signals(stop: &JsValue);
}

/// Why the browser woke the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// `online` fired on the global object.
    Online,
    /// The page became visible again.
    Visible,
}

/// The two listeners, registered while the client is active. Dropping this removes them and
/// frees their closure.
pub struct BrowserSignals {
    stop: JsValue,
    _notify: Closure<dyn FnMut(bool)>,
}

impl BrowserSignals {
    /// Listens on the page (or worker) global and, where there is one, its document; `None`
    /// where the global takes no event listeners.
    pub fn listen(mut notify: impl FnMut(Signal) + 'static) -> Option<Self> {
        let notify = Closure::<dyn FnMut(bool)>::new(move |online: bool| {
            notify(if online {
                Signal::Online
            } else {
                Signal::Visible
            })
        });
        let stop = listen_for_signals(&notify);
        if stop.is_undefined() {
            return None;
        }
        Some(Self {
            stop,
            _notify: notify,
        })
    }
}

impl Drop for BrowserSignals {
    fn drop(&mut self) {
        stop_signals(&self.stop);
    }
}

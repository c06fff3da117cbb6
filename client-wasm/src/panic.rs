//! What a panic does in the shipped SDK, built without the standard library: trap at once, as
//! std's handler ends up doing in the browser (`panic = "abort"`) after formatting a message
//! nobody can see. The page gets a `RuntimeError: unreachable` from the call that panicked.

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

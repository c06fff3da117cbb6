// Shows a client's connection state in a badge: connecting, live, or reconnecting with a
// countdown to the next attempt. `data-state` carries the raw state for styles and tests.

const LABELS = { idle: 'Not connected', connecting: 'Connecting…', open: 'Live', closed: 'Offline' };

/** Keeps `element` in step with `client`; returns a function that stops it. */
export function showConnection(element, client) {
  let countdown = null;
  const stopCountdown = () => {
    clearInterval(countdown);
    countdown = null;
  };
  const render = ({ state, reason, delay }) => {
    stopCountdown();
    element.dataset.state = state;
    element.title = reason ?? '';
    if (state !== 'reconnecting') {
      element.textContent = LABELS[state] ?? state;
      return;
    }
    const retryAt = Date.now() + (delay ?? 0);
    const tick = () => {
      const seconds = Math.ceil((retryAt - Date.now()) / 1000);
      element.textContent = seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…';
      if (seconds <= 0) stopCountdown();
    };
    tick();
    countdown = setInterval(tick, 250);
  };
  render({ state: client.state });
  const unsubscribe = client.onStateChange(render);
  return () => {
    stopCountdown();
    unsubscribe();
  };
}

/*
 * The "time" subscription on the demo page: the server pushes its clock every few seconds;
 * each push is answered with a ping, and the pong's round trip turns the server's time into an
 * estimate of how far the two clocks are apart (Cristian's algorithm: the reply took about
 * half the round trip).
 */
(() => {
  'use strict';

  const PING_PREFIX = 'clock-';
  const el = (id) => document.getElementById(id);
  const ui = {
    toggle: el('time-toggle'),
    serverTime: el('server-time'),
    counter: el('time-counter'),
    offset: el('clock-offset'),
    rtt: el('clock-rtt'),
  };
  const state = {
    wanted: false, // the user subscribed; kept across reconnects, when the server has forgotten it
    pings: new Map(), // ping id -> performance.now() when sent
  };

  function toggle() {
    state.wanted = !state.wanted;
    const sent = window.wschat && window.wschat.send({ type: state.wanted ? 'subscribe' : 'unsubscribe', topic: 'time' });
    if (!sent) {
      state.wanted = false;
    }
    render();
  }

  function render() {
    ui.toggle.setAttribute('aria-pressed', String(state.wanted));
    ui.toggle.textContent = state.wanted ? 'Unsubscribe' : 'Subscribe to server time';
  }

  function onTime(event) {
    ui.serverTime.textContent = new Date(event.serverTime).toISOString().replace('T', ' ').replace('Z', ' UTC');
    ui.counter.textContent = String(event.counter);
    const id = PING_PREFIX + event.counter;
    state.pings.clear(); // only the latest matters; an unanswered one must not pile up
    state.pings.set(id, performance.now());
    window.wschat.send({ type: 'ping', id });
  }

  function onPong(event) {
    const sentAt = state.pings.get(event.id);
    if (sentAt === undefined) {
      return;
    }
    state.pings.delete(event.id);
    const roundTrip = performance.now() - sentAt;
    const offset = Math.round(event.serverTime + roundTrip / 2 - Date.now());
    ui.rtt.textContent = roundTrip.toFixed(1) + ' ms';
    ui.offset.textContent = offset === 0 ? 'in step with this browser (± ' + Math.ceil(roundTrip / 2) + ' ms)'
        : 'server is ' + Math.abs(offset) + ' ms ' + (offset > 0 ? 'ahead of' : 'behind') + ' this browser (± '
          + Math.ceil(roundTrip / 2) + ' ms)';
  }

  ui.toggle.addEventListener('click', toggle);
  document.addEventListener('wschat:event', (e) => {
    const event = e.detail;
    if (event.type === 'welcome') {
      ui.toggle.disabled = false;
      if (state.wanted) {
        window.wschat.send({ type: 'subscribe', topic: 'time' }); // a new connection starts unsubscribed
      }
    } else if (event.type === 'time') {
      onTime(event);
    } else if (event.type === 'pong' && typeof event.id === 'string' && event.id.startsWith(PING_PREFIX)) {
      onPong(event);
    }
  });
  document.addEventListener('wschat:closed', () => {
    ui.toggle.disabled = true;
    state.pings.clear();
  });
  render();
})();

// wschat arena: lobby over GET /api/games, play over /game/ws. The server owns the state; this
// page sends inputs (one per tick, numbered), predicts its own player from the inputs the
// server has not acknowledged yet, and draws the others between the two latest snapshots.
'use strict';
(function () {
  const base = document.querySelector('meta[name="wschat-base"]').content;
  const params = new URLSearchParams(location.search);
  // ?format=json asks for JSON state frames, for reading them in the developer tools.
  const wantBinary = params.get('format') !== 'json';
  const INTERPOLATION_DELAY_MS = 100;
  const KEPT_STATES = 64;
  const $ = (id) => document.getElementById(id);

  let ws = null;
  let rules = null;
  let me = null;
  const names = new Map();
  let states = new Map();          // tick -> {tick, round, intermission, left, players: Map(id -> {x, y, score}), coins: []}
  let latest = null;               // newest state
  let buffer = [];                 // [{at, state}] for interpolation of the others
  let pending = [];                // inputs sent and not yet acknowledged: {seq, dx, dy}
  let predicted = null;            // own player's predicted position
  let seq = 0;
  let inputTimer = null;
  let fullSnapshots = 0;
  let frames = 0;
  const keys = new Set();
  let touch = null;                // {x0, y0, dx, dy}

  // ---- lobby ----
  const nameInput = $('player-name');
  nameInput.value = localStorage.getItem('wschat-game-name') || ('player' + Math.floor(Math.random() * 900 + 100));
  if (params.get('game')) $('game-name').value = params.get('game');

  async function refreshLobby() {
    if (ws) return;
    try {
      const response = await fetch(base + 'api/games', {headers: {Accept: 'application/json'}});
      if (!response.ok) return;
      const lobby = await response.json();
      const list = $('games');
      list.replaceChildren();
      if (lobby.games.length === 0) {
        const li = document.createElement('li');
        li.className = 'empty';
        li.textContent = 'none yet: create one';
        list.append(li);
      }
      for (const game of lobby.games) {
        const li = document.createElement('li');
        li.dataset.game = game.name;
        const title = document.createElement('strong');
        title.textContent = game.name;
        const who = document.createElement('span');
        who.className = 'who';
        who.textContent = game.players.length + '/' + lobby.maxPlayers + ': ' + game.players.join(', ')
          + (game.intermission ? ' (between rounds)' : ' (round ' + game.round + ', ' + game.secondsLeft + 's left)');
        const join = document.createElement('button');
        join.type = 'button';
        join.textContent = 'Join';
        join.addEventListener('click', () => { $('game-name').value = game.name; play(); });
        li.append(title, who, join);
        list.append(li);
      }
    } catch (e) {
      // The lobby refreshes again shortly; the play button works regardless.
    }
  }
  refreshLobby();
  setInterval(refreshLobby, 2000);

  $('join-form').addEventListener('submit', (event) => { event.preventDefault(); play(); });
  $('leave').addEventListener('click', () => { if (ws) ws.close(1000, 'left'); });

  function setStatus(state, text) {
    const status = $('status');
    status.dataset.state = state;
    status.textContent = text || state;
  }

  function play() {
    const game = $('game-name').value.trim();
    const name = nameInput.value.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(game)) {
      $('lobby-error').textContent = 'A game name is 1-32 letters, digits, _ or -.';
      return;
    }
    localStorage.setItem('wschat-game-name', name);
    $('lobby-error').textContent = '';
    const url = new URL(base + 'game/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('game', game);
    if (name) url.searchParams.set('name', name);
    if (params.get('token')) url.searchParams.set('access_token', params.get('token'));
    reset();
    setStatus('connecting');
    ws = new WebSocket(url, [wantBinary ? 'wschat-game-binary' : 'wschat-game-json']);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') onJson(JSON.parse(event.data));
      else onState(decodeState(event.data));
    };
    ws.onclose = (event) => {
      ws = null;
      clearInterval(inputTimer);
      $('play').hidden = true;
      $('lobby').hidden = false;
      setStatus('lobby');
      if (event.code === 1012) $('lobby-error').textContent = 'The server running this game went away: join it again to play on.';
      else if (event.code !== 1000) $('lobby-error').textContent = 'Disconnected (' + event.code + (event.reason ? ': ' + event.reason : '') + ').';
      refreshLobby();
    };
  }

  function reset() {
    names.clear();
    states = new Map();
    latest = null;
    buffer = [];
    pending = [];
    predicted = null;
    seq = 0;
    fullSnapshots = 0;
    frames = 0;
    $('chat-log').replaceChildren();
  }

  // ---- messages ----
  function onJson(msg) {
    switch (msg.type) {
      case 'game.welcome':
        rules = msg.rules;
        me = msg.you;
        for (const p of msg.players) names.set(p.id, p.name);
        $('lobby').hidden = true;
        $('play').hidden = false;
        setStatus('playing', 'playing ' + msg.game + ' as ' + me.name);
        clearInterval(inputTimer);
        inputTimer = setInterval(sendInput, 1000 / rules.tickRate);
        break;
      case 'game.joined':
        names.set(msg.player.id, msg.player.name);
        log(msg.player.name + ' joined');
        break;
      case 'game.left':
        names.delete(msg.player.id);
        log(msg.player.name + ' left');
        break;
      case 'game.round':
        if (msg.state === 'ended') {
          const winner = msg.winner ? msg.winner.name + ' wins with ' + msg.winner.score : 'nobody scored';
          banner('Round ' + msg.round + ' over: ' + winner);
          log('round ' + msg.round + ' over: ' + winner);
        } else {
          banner(null);
          log('round ' + msg.round + ' started');
        }
        break;
      case 'state':
        onState(msg);
        break;
      case 'message':
        log(msg.from + ': ' + msg.text);
        break;
      case 'error':
        log('server: ' + msg.code + ' (' + msg.message + ')');
        break;
      case 'game.ended':
        // The instance running the game is gone; the close (1012) that follows shows the lobby.
        log('game over: ' + msg.reason);
        break;
      default:
        // welcome (the chat's), presence, pong: the chat panel needs nothing more from them.
    }
  }

  function decodeState(buf) {
    const v = new DataView(buf);
    let o = 0;
    const kind = v.getUint8(o); o += 1;
    const s = {full: kind === 1, tick: v.getUint32(o)}; o += 4;
    s.base = v.getUint32(o); o += 4;
    s.ack = v.getUint32(o); o += 4;
    s.phase = v.getUint8(o) === 1 ? 'intermission' : 'playing'; o += 1;
    s.round = v.getUint16(o); o += 2;
    s.left = v.getUint16(o); o += 2;
    const n = v.getUint16(o); o += 2;
    s.players = [];
    for (let i = 0; i < n; i++, o += 8) s.players.push([v.getUint16(o), v.getUint16(o + 2), v.getUint16(o + 4), v.getUint16(o + 6)]);
    const g = v.getUint16(o); o += 2;
    s.gone = [];
    for (let i = 0; i < g; i++, o += 2) s.gone.push(v.getUint16(o));
    const c = v.getUint8(o); o += 1;
    s.coins = [];
    for (let i = 0; i < c; i++, o += 5) s.coins.push([v.getUint8(o), v.getUint16(o + 1), v.getUint16(o + 3)]);
    return s;
  }

  function onState(msg) {
    let from;
    if (msg.full) {
      from = {players: new Map(), coins: []};
      fullSnapshots++;
    } else {
      from = states.get(msg.base);
      // A delta against a state this page no longer holds cannot be applied; the acks make the server send a full one.
      if (!from) return;
    }
    if (latest && msg.tick <= latest.tick) return;
    frames++;
    const state = {tick: msg.tick, round: msg.round, intermission: msg.phase === 'intermission', left: msg.left,
      players: new Map(from.players), coins: from.coins.slice()};
    for (const [id, x, y, score] of msg.players) state.players.set(id, {x, y, score});
    for (const id of msg.gone) state.players.delete(id);
    for (const [i, x, y] of msg.coins) state.coins[i] = {x, y};
    states.set(state.tick, state);
    for (const tick of states.keys()) if (tick < state.tick - KEPT_STATES) states.delete(tick);
    latest = state;
    buffer.push({at: performance.now(), state});
    if (buffer.length > 8) buffer.shift();
    reconcile(msg.ack);
    renderScores();
  }

  // ---- input, prediction, reconciliation ----
  function stick() {
    let dx = 0, dy = 0;
    if (keys.has('ArrowLeft') || keys.has('a')) dx -= 100;
    if (keys.has('ArrowRight') || keys.has('d')) dx += 100;
    if (keys.has('ArrowUp') || keys.has('w')) dy -= 100;
    if (keys.has('ArrowDown') || keys.has('s')) dy += 100;
    if (touch) { dx = touch.dx; dy = touch.dy; }
    return {dx, dy};
  }

  function sendInput() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const {dx, dy} = stick();
    seq++;
    const ack = latest ? latest.tick : 0;
    if (wantBinary) {
      const frame = new DataView(new ArrayBuffer(11));
      frame.setUint8(0, 0x10);
      frame.setUint32(1, seq);
      frame.setInt8(5, dx);
      frame.setInt8(6, dy);
      frame.setUint32(7, ack);
      ws.send(frame.buffer);
    } else {
      ws.send(JSON.stringify({type: 'input', seq, dx, dy, ack}));
    }
    pending.push({seq, dx, dy});
    // Never more waiting than the server queues: older ones are surely applied or refused.
    if (pending.length > 2 * rules.maxQueuedInputs + 20) pending.shift();
    if (predicted && latest && !latest.intermission) predicted = step(predicted, dx, dy);
  }

  function step(pos, dx, dy) {
    const length = Math.hypot(dx, dy);
    if (length === 0) return pos;
    const distance = rules.speed / rules.tickRate * Math.min(1, length / 100);
    const r = rules.playerRadius, max = rules.arena - r;
    return {x: Math.max(r, Math.min(max, pos.x + dx / length * distance)),
            y: Math.max(r, Math.min(max, pos.y + dy / length * distance))};
  }

  function reconcile(ack) {
    pending = pending.filter((input) => input.seq > ack);
    const mine = me && latest.players.get(me.id);
    if (!mine) { predicted = null; return; }
    let pos = {x: mine.x, y: mine.y};
    if (!latest.intermission) for (const input of pending) pos = step(pos, input.dx, input.dy);
    predicted = pos;
  }

  document.addEventListener('keydown', (e) => {
    if (document.activeElement && document.activeElement.tagName === 'INPUT') return;
    keys.add(e.key.length === 1 ? e.key.toLowerCase() : e.key);
    if (e.key.startsWith('Arrow')) e.preventDefault();
  });
  document.addEventListener('keyup', (e) => keys.delete(e.key.length === 1 ? e.key.toLowerCase() : e.key));
  window.addEventListener('blur', () => keys.clear());

  const canvas = $('arena');
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    touch = {x0: e.clientX, y0: e.clientY, dx: 0, dy: 0};
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!touch) return;
    // A virtual stick: the drag from where the finger went down, full speed at 40 CSS pixels.
    const scale = 100 / 40;
    touch.dx = Math.max(-100, Math.min(100, Math.round((e.clientX - touch.x0) * scale)));
    touch.dy = Math.max(-100, Math.min(100, Math.round((e.clientY - touch.y0) * scale)));
  });
  const release = () => { touch = null; };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);

  // ---- chat ----
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('chat-text').value.trim();
    if (text && ws) ws.send(JSON.stringify({type: 'message', text}));
    $('chat-text').value = '';
    canvas.focus();
  });

  function log(text) {
    const li = document.createElement('li');
    li.textContent = text;
    const list = $('chat-log');
    list.append(li);
    while (list.children.length > 50) list.firstChild.remove();
    list.scrollTop = list.scrollHeight;
  }

  function banner(text) {
    const b = $('banner');
    b.hidden = !text;
    b.textContent = text || '';
  }

  function renderScores() {
    const list = $('scores');
    const rows = [...latest.players.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    list.replaceChildren(...rows.slice(0, 10).map(([id, p]) => {
      const li = document.createElement('li');
      li.textContent = (names.get(id) || '#' + id) + ': ' + p.score;
      if (me && id === me.id) li.className = 'me';
      return li;
    }));
    $('round').textContent = 'round ' + latest.round + (latest.intermission ? ' (next soon)' : '');
    $('clock').textContent = Math.ceil(latest.left / rules.tickRate) + 's';
  }

  // ---- drawing ----
  /** Where each other player is drawn: between the two buffered states around (now - delay). */
  function interpolated() {
    const at = performance.now() - INTERPOLATION_DELAY_MS;
    let i = buffer.length - 1;
    while (i > 0 && buffer[i - 1].at > at) i--;
    const b = buffer[i];
    const a = i > 0 ? buffer[i - 1] : b;
    const t = b.at === a.at ? 1 : Math.max(0, Math.min(1, (at - a.at) / (b.at - a.at)));
    const out = new Map();
    for (const [id, pb] of b.state.players) {
      const pa = a.state.players.get(id) || pb;
      out.set(id, {x: pa.x + (pb.x - pa.x) * t, y: pa.y + (pb.y - pa.y) * t, score: pb.score});
    }
    return out;
  }

  function draw() {
    requestAnimationFrame(draw);
    if (!latest || !rules) return;
    const ctx = canvas.getContext('2d');
    const k = canvas.width / rules.arena;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = '#2a2e37';
    for (let g = 0; g <= rules.arena; g += rules.arena / 10) {
      ctx.beginPath(); ctx.moveTo(g * k, 0); ctx.lineTo(g * k, canvas.height); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, g * k); ctx.lineTo(canvas.width, g * k); ctx.stroke();
    }
    ctx.fillStyle = '#ffd54f';
    for (const coin of latest.coins) {
      if (!coin) continue;
      ctx.beginPath(); ctx.arc(coin.x * k, coin.y * k, rules.coinRadius * k, 0, Math.PI * 2); ctx.fill();
    }
    ctx.font = '12px system-ui';
    ctx.textAlign = 'center';
    for (const [id, p] of interpolated()) {
      const pos = me && id === me.id && predicted ? predicted : p;
      ctx.fillStyle = me && id === me.id ? '#4fc3f7' : 'hsl(' + (id * 67 % 360) + ' 70% 60%)';
      ctx.beginPath(); ctx.arc(pos.x * k, pos.y * k, rules.playerRadius * k, 0, Math.PI * 2); ctx.fill();
      ctx.fillStyle = '#e8e8ea';
      ctx.fillText(names.get(id) || '#' + id, pos.x * k, (pos.y - rules.playerRadius - 4) * k);
    }
  }
  requestAnimationFrame(draw);

  // Read-only view for the page tests and the curious: what this page believes the state is.
  window.wschatGame = {
    me: () => me,
    tick: () => (latest ? latest.tick : 0),
    fullSnapshots: () => fullSnapshots,
    frames: () => frames,
    players: () => (latest ? [...latest.players.entries()].map(([id, p]) => ({id, name: names.get(id), x: p.x, y: p.y, score: p.score})) : []),
  };
})();

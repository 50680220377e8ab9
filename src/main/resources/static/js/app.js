/*
 * The wschat demo page: a WebSocket client for /chat and /echo that shows every frame.
 *
 * Plain script, no build step and no dependencies. User data only ever reaches the page
 * through textContent, never innerHTML. The protocol is in docs/PROTOCOL.md.
 */
(() => {
  'use strict';

  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 15000;
  const TYPING_SEND_EVERY_MS = 2000;
  const TYPING_SHOWN_MS = 3000;
  // Everything the page keeps is bounded, so a long-lived tab does not grow without end.
  const MAX_LOG_ENTRIES = 500;
  const MAX_MESSAGES = 500;
  const MAX_SEEN_SEQS = 2000;
  const MAX_PENDING_PINGS = 20;
  const HISTORY_PAGE = 50;
  // The same rules as io.wschat.chat.Names; checked here because a refused handshake reaches
  // the browser only as close code 1006, without the server's reason.
  const ROOM_RULE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
  const NAME_RULE = /^[\p{L}\p{N}][\p{L}\p{N} _.'-]{0,31}$/u;
  const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
  // Refusals that may pass on a later try: a message refused with one of these stays in the outbox.
  const RETRYABLE_ERRORS = new Set(['rate_limited', 'unavailable', 'not_in_room']);

  const el = (id) => document.getElementById(id);
  const ui = {
    state: el('state'),
    connectForm: el('connect-form'),
    endpoint: el('endpoint'),
    room: el('room'),
    name: el('name'),
    connect: el('connect'),
    disconnect: el('disconnect'),
    formError: el('form-error'),
    url: el('url'),
    closeInfo: el('close-info'),
    whoami: el('whoami'),
    messages: el('messages'),
    loadOlder: el('load-older'),
    typing: el('typing'),
    sendForm: el('send-form'),
    messageInput: el('message-input'),
    send: el('send'),
    ping: el('ping'),
    rtt: el('rtt'),
    members: el('members'),
    memberCount: el('member-count'),
    handshake: el('handshake'),
    acceptCheck: el('accept-check'),
    frameLog: el('frame-log'),
    clearLog: el('clear-log'),
  };

  const basePath = (document.querySelector('meta[name="wschat-base"]') || {}).content || '/';
  const encoder = new TextEncoder();

  const session = {
    socket: null,
    endpoint: 'chat',
    room: null,
    name: null,
    active: false, // the user wants to be connected: true from Connect until Disconnect
    attempt: 0,
    reconnectTimer: null,
    reconnectAt: 0,
    countdownTimer: null,
    welcomed: false,
    myIds: new Set(), // every id this tab had in the room, so own messages stay "mine" across reconnects
    myId: null,
    currentRoom: null,
    lastSeq: 0,
    seen: new Set(),
    outbox: new Map(), // cid -> { text, room, item }
    loadingOlder: false, // a history command is on its way
    noOlder: false, // the server said nothing older exists
    pings: new Map(), // ping id -> performance.now() when sent
    pingCounter: 0,
    lastTypingSent: 0,
    typers: new Map(), // member id -> { name, until }
    members: new Map(), // member id -> name, in the order they joined: the welcome's list, then presence changes
    memberCount: 0,
    typingTimer: null,
    resendTimer: null, // set while a resend after an 'unavailable' error is waiting
  };

  // ---- connection -------------------------------------------------------------------------

  function socketUrl() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const base = basePath.endsWith('/') ? basePath : basePath + '/';
    let url = scheme + '//' + location.host + base + session.endpoint;
    if (session.endpoint === 'chat') {
      const query = new URLSearchParams({ room: session.room });
      if (session.name) {
        query.set('name', session.name);
      }
      if (session.currentRoom === session.room && session.lastSeq > 0) {
        query.set('since', String(session.lastSeq));
      }
      // The server keys resend de-duplication on this id, so it must survive reconnects (and reloads of this tab).
      query.set('client', stableClientId());
      url += '?' + query.toString();
    }
    return url;
  }

  function connect() {
    const endpoint = ui.endpoint.value === 'echo' ? 'echo' : 'chat';
    const room = ui.room.value.trim() || 'lobby';
    const name = ui.name.value.trim();
    if (endpoint === 'chat') {
      if (!ROOM_RULE.test(room)) {
        return showFormError('Room: 1–64 letters, digits, "_", "." or "-", starting with a letter or digit.');
      }
      if (name && !NAME_RULE.test(name)) {
        return showFormError('Name: 1–32 letters, digits, spaces and _ . \' -, starting with a letter or digit.');
      }
    }
    showFormError('');
    if (endpoint !== session.endpoint || room !== session.currentRoom) {
      resetRoomView();
    }
    session.endpoint = endpoint;
    session.room = room;
    session.name = name;
    session.active = true;
    session.attempt = 0;
    open();
  }

  function open() {
    clearReconnect();
    const url = socketUrl();
    ui.url.textContent = url;
    ui.closeInfo.hidden = true;
    session.welcomed = false;
    let socket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      logEvent('could not open: ' + e.message);
      scheduleReconnect();
      return;
    }
    session.socket = socket;
    setState('connecting', 'connecting…');
    logEvent('connecting to ' + url);

    socket.addEventListener('open', () => {
      if (socket !== session.socket) {
        return;
      }
      logEvent('open');
      if (session.endpoint === 'echo') {
        session.attempt = 0;
        setState('open', 'open');
      } else {
        setState('open', 'open, waiting for welcome…');
      }
    });
    socket.addEventListener('message', (event) => {
      if (socket === session.socket) {
        receive(event.data);
      }
    });
    socket.addEventListener('close', (event) => {
      if (socket === session.socket) {
        closed(event);
      }
    });
  }

  function disconnect() {
    session.active = false;
    clearReconnect();
    const socket = session.socket;
    if (socket && socket.readyState <= WebSocket.OPEN) {
      setState('closing', 'closing…');
      socket.close(1000, 'user disconnected');
    } else {
      session.socket = null;
      setState('closed', 'closed');
    }
  }

  function closed(event) {
    session.socket = null;
    document.dispatchEvent(new CustomEvent('wschat:closed'));
    session.welcomed = false;
    session.loadingOlder = false;
    session.typers.clear();
    renderTyping();
    session.members.clear(); // stale once closed; the next welcome brings the list
    session.memberCount = 0;
    renderMembers();
    const expected = !session.active;
    const reason = event.reason ? ' “' + event.reason + '”' : '';
    ui.closeInfo.textContent = 'Closed with code ' + event.code + reason + closeHint(event.code) + '. '
        + (expected ? 'You disconnected.' : 'Unexpected: reconnecting.')
        + (event.wasClean ? '' : ' No closing handshake.');
    ui.closeInfo.dataset.code = String(event.code);
    ui.closeInfo.hidden = false;
    logEvent('closed ' + event.code + reason);
    if (expected) {
      setState('closed', 'closed');
    } else {
      scheduleReconnect();
    }
  }

  /** What the standard and our private close codes mean, for a learner reading the close line. */
  function closeHint(code) {
    const meanings = {
      1000: 'normal closure',
      1001: 'going away: the server is shutting down',
      1003: 'unsupported data',
      1006: 'abnormal closure, no close frame: network drop, server down, or handshake refused',
      1008: 'policy violation',
      1009: 'message too big',
      1011: 'server error',
      4000: 'slow consumer: the page did not keep up',
      4003: 'token expired',
    };
    return meanings[code] ? ' — ' + meanings[code] : '';
  }

  /** Exponential backoff with "equal jitter": half the delay fixed, half random, capped. */
  function scheduleReconnect() {
    session.attempt += 1;
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** (session.attempt - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    session.reconnectAt = Date.now() + delay;
    session.reconnectTimer = setTimeout(open, delay);
    showReconnectCountdown();
    session.countdownTimer = setInterval(showReconnectCountdown, 250);
  }

  function showReconnectCountdown() {
    const seconds = Math.max(0, (session.reconnectAt - Date.now()) / 1000);
    setState('reconnecting', 'reconnecting in ' + seconds.toFixed(1) + ' s (attempt ' + session.attempt + ')');
  }

  function clearReconnect() {
    clearTimeout(session.reconnectTimer);
    clearInterval(session.countdownTimer);
    session.reconnectTimer = null;
    session.countdownTimer = null;
  }

  function reconnectNow() {
    if (session.reconnectTimer) {
      open();
    }
  }

  function setState(state, text) {
    ui.state.dataset.state = state;
    ui.state.textContent = text;
    const busy = session.active || state === 'closing';
    ui.connect.disabled = busy;
    ui.disconnect.disabled = !busy || state === 'closing';
    ui.endpoint.disabled = busy;
    ui.room.disabled = busy;
    ui.name.disabled = busy;
    const open = state === 'open' && !!session.socket && session.socket.readyState === WebSocket.OPEN;
    // Chat messages typed while reconnecting wait in the outbox; echo needs a live socket.
    const canSend = session.endpoint === 'chat' ? session.active : open;
    ui.messageInput.disabled = !canSend;
    ui.send.disabled = !canSend;
    ui.ping.disabled = !(open && session.endpoint === 'chat' && session.welcomed);
    updateLoadOlder();
  }

  // ---- frames -----------------------------------------------------------------------------

  function sendFrame(text) {
    session.socket.send(text);
    logFrame('out', text);
  }

  function sendCommand(command) {
    sendFrame(JSON.stringify(command));
  }

  function canSendNow() {
    return !!session.socket && session.socket.readyState === WebSocket.OPEN
        && (session.endpoint === 'echo' || session.welcomed);
  }

  function receive(data) {
    logFrame('in', data);
    if (session.endpoint === 'echo') {
      addLine('server', data, 'echo');
      return;
    }
    let event;
    try {
      event = JSON.parse(data);
    } catch (e) {
      addSystemLine('The server sent a frame that is not JSON.', 'error');
      return;
    }
    switch (event.type) {
      case 'welcome': onWelcome(event); break;
      case 'message': onMessage(event); break;
      case 'history': onHistory(event); break;
      case 'presence': onPresence(event); break;
      case 'members': onMembersPage(event); break;
      case 'typing': onTyping(event); break;
      case 'pong': onPong(event); break;
      case 'error': onError(event); break;
      default: break; // newer servers may add events; the frame log shows them anyway
    }
    // The page's other parts (progress.js, clock.js) listen here instead of opening sockets of their own.
    document.dispatchEvent(new CustomEvent('wschat:event', { detail: event }));
  }

  function onWelcome(welcome) {
    if (welcome.room !== session.currentRoom) {
      resetRoomView();
      session.currentRoom = welcome.room;
    }
    session.myId = welcome.id;
    session.myIds.add(welcome.id);
    session.name = welcome.name; // keep a generated guest name across reconnects
    ui.whoami.textContent = 'in ' + welcome.room + ' as ' + welcome.name;
    session.members.clear();
    (welcome.members || []).forEach((member) => session.members.set(member.id, member.name));
    session.memberCount = welcome.memberCount;
    if (welcome.membersTruncated) {
      // A large room: the welcome listed the first members only; ask for the rest a page at a time.
      sendCommand({ type: 'members', offset: session.members.size });
    }
    renderMembers();
    renderHandshake(welcome.handshake);
    addSystemLine(session.attempt > 0 || session.lastSeq > 0
        ? 'Reconnected to ' + welcome.room + '.' : 'You joined ' + welcome.room + '.');
    if ((welcome.lastSeq || 0) < session.lastSeq) {
      // The server no longer has what this page saw (its history was reset): count afresh.
      ui.messages.querySelectorAll('li.message[data-seq]').forEach((item) => item.remove());
      session.seen.clear();
      session.lastSeq = 0;
      session.noOlder = false;
      addSystemLine('The server no longer has the earlier messages of this room.', 'error');
    }
    if (welcome.truncated) {
      addSystemLine('More messages were missed than a reconnect brings back; the newest from #' + welcome.firstSeq
          + ' are shown, “Load older messages” fetches the rest.', 'error');
    }
    (welcome.history || []).forEach(onMessage);
    session.lastSeq = Math.max(session.lastSeq, welcome.lastSeq || 0);
    session.welcomed = true;
    session.attempt = 0;
    setState('open', 'open');
    // History may already have acknowledged some; what is still pending is sent (again) now.
    session.outbox.forEach((entry, cid) => {
      if (entry.room === welcome.room) {
        sendCommand({ type: 'message', text: entry.text, cid });
      } else {
        entry.item.dataset.status = 'failed';
        session.outbox.delete(cid);
      }
    });
  }

  function onMessage(message) {
    if (message.room !== session.currentRoom || session.seen.has(message.seq)) {
      return;
    }
    rememberSeq(message.seq);
    session.lastSeq = Math.max(session.lastSeq, message.seq);
    const pending = message.cid ? session.outbox.get(message.cid) : undefined;
    if (pending) {
      session.outbox.delete(message.cid);
      fillMessage(pending.item, message);
      placeDelivered(pending.item);
      return;
    }
    const item = createMessageItem(message.cid || '', session.myIds.has(message.fromId));
    fillMessage(item, message);
    placeDelivered(item);
    updateLoadOlder();
  }

  /**
   * An error about one of our messages (it has the message's cid) means the server did not store it.
   * Unless the refusal is one that may pass later, the message would be refused again on every
   * resend, so it leaves the outbox and is shown as not sent.
   */
  function onError(error) {
    addSystemLine('Error ' + error.code + ': ' + error.message, 'error');
    if (error.code === 'unavailable' && !session.resendTimer) {
      session.resendTimer = setTimeout(retryAfterUnavailable, 2000);
    }
    const pending = error.cid ? session.outbox.get(error.cid) : undefined;
    if (!pending || RETRYABLE_ERRORS.has(error.code)) {
      return;
    }
    session.outbox.delete(error.cid);
    pending.item.dataset.status = 'failed';
    pending.item.querySelector('.status').textContent = error.code; // the style adds "not sent"
  }

  /**
   * Nothing was stored, or the room could not be entered: once the store may be back, enter the room
   * again (the welcome then resends the outbox) or resend what is pending (same cids, so never twice).
   */
  function retryAfterUnavailable() {
    session.resendTimer = null;
    if (!session.socket) {
      return;
    }
    if (!session.welcomed) {
      sendCommand(session.lastSeq > 0 ? { type: 'join', room: session.room, since: session.lastSeq }
          : { type: 'join', room: session.room });
      return;
    }
    session.outbox.forEach((entry, cid) => {
      if (entry.room === session.currentRoom) {
        sendCommand({ type: 'message', text: entry.text, cid });
      }
    });
  }

  // ---- older messages -----------------------------------------------------------------------

  /** Messages are shown in seq order, so the first one with a seq is the oldest shown. */
  function oldestShownSeq() {
    const oldest = ui.messages.querySelector('li.message[data-seq]');
    return oldest ? Number(oldest.dataset.seq) : session.lastSeq + 1;
  }

  function updateLoadOlder() {
    ui.loadOlder.hidden = session.endpoint !== 'chat' || !session.currentRoom || session.noOlder || oldestShownSeq() <= 1;
    ui.loadOlder.disabled = session.loadingOlder || !canSendNow();
  }

  function loadOlder() {
    if (!canSendNow() || session.loadingOlder) {
      return;
    }
    session.loadingOlder = true;
    sendCommand({ type: 'history', before: oldestShownSeq(), limit: HISTORY_PAGE });
    updateLoadOlder();
  }

  /** Older messages go on top, keeping what the user was reading in place; the list stays bounded. */
  function onHistory(history) {
    if (history.room !== session.currentRoom) {
      return;
    }
    session.loadingOlder = false;
    const room = MAX_MESSAGES - ui.messages.childElementCount;
    const older = (history.messages || []).filter((message) => !session.seen.has(message.seq));
    const shown = room > 0 ? older.slice(Math.max(0, older.length - room)) : [];
    const heightBefore = ui.messages.scrollHeight;
    shown.reverse().forEach((message) => {
      rememberSeq(message.seq);
      const item = createMessageItem(message.cid || '', session.myIds.has(message.fromId));
      fillMessage(item, message);
      ui.messages.prepend(item);
    });
    ui.messages.scrollTop += ui.messages.scrollHeight - heightBefore;
    if (shown.length < older.length) {
      addSystemLine('The page shows at most ' + MAX_MESSAGES + ' messages.');
    }
    session.noOlder = !history.hasMore;
    updateLoadOlder();
  }

  /** Delivered messages arrive in seq order; they go above any still pending, which stay at the bottom. */
  function placeDelivered(item) {
    const firstPending = Array.from(ui.messages.querySelectorAll('li[data-status="pending"]'))
        .find((pendingItem) => pendingItem !== item);
    if (firstPending) {
      ui.messages.insertBefore(item, firstPending);
    } else {
      appendBounded(ui.messages, item, MAX_MESSAGES);
    }
  }

  function rememberSeq(seq) {
    session.seen.add(seq);
    if (session.seen.size > MAX_SEEN_SEQS) {
      session.seen.delete(session.seen.values().next().value); // a Set iterates oldest first
    }
  }

  function onPresence(presence) {
    if (presence.room !== session.currentRoom) {
      return;
    }
    // A large room's changes come several to an event, in order; a small room's one at a time.
    const changes = presence.event === 'changes' ? presence.changes : [presence];
    changes.forEach(applyPresenceChange);
    session.memberCount = presence.count;
    renderMembers();
  }

  function applyPresenceChange(change) {
    const member = change.member || {};
    if (change.event === 'left') {
      session.members.delete(member.id);
      session.typers.delete(member.id);
      renderTyping();
    } else {
      session.members.set(member.id, member.name);
    }
    if (member.id === session.myId && change.event === 'joined') {
      return; // the welcome said so already
    }
    if (change.event === 'renamed') {
      addSystemLine(change.previousName + ' is now ' + member.name + '.');
    } else {
      addSystemLine(member.name + ' ' + change.event + '.');
    }
  }

  function onMembersPage(page) {
    if (page.room !== session.currentRoom) {
      return;
    }
    page.members.forEach((member) => session.members.set(member.id, member.name));
    session.memberCount = page.count;
    renderMembers();
    const next = page.offset + page.members.length;
    if (page.members.length > 0 && next < page.count) {
      sendCommand({ type: 'members', offset: next });
    }
  }

  function onTyping(typing) {
    const member = typing.member || {};
    if (typing.room !== session.currentRoom || member.id === session.myId) {
      return;
    }
    session.typers.set(member.id, { name: member.name, until: Date.now() + TYPING_SHOWN_MS });
    renderTyping();
  }

  function onPong(pong) {
    const sentAt = session.pings.get(pong.id);
    if (sentAt === undefined) {
      return;
    }
    session.pings.delete(pong.id);
    ui.rtt.textContent = 'round trip ' + Math.round(performance.now() - sentAt) + ' ms · server time '
        + new Date(pong.serverTime).toLocaleTimeString();
  }

  // ---- user actions -----------------------------------------------------------------------

  function sendMessage() {
    const text = ui.messageInput.value;
    if (!text.trim()) {
      return;
    }
    if (session.endpoint === 'echo') {
      if (canSendNow()) {
        sendFrame(text);
        addLine('you', text, 'mine');
        ui.messageInput.value = '';
      }
      return;
    }
    const cid = newClientId();
    const item = createMessageItem(cid, true);
    item.dataset.status = 'pending';
    fillMessage(item, { from: session.name || 'you', text });
    appendBounded(ui.messages, item, MAX_MESSAGES);
    session.outbox.set(cid, { text, room: session.room, item });
    ui.messageInput.value = '';
    if (canSendNow()) {
      sendCommand({ type: 'message', text, cid });
    }
  }

  function sendTyping() {
    const now = Date.now();
    if (session.endpoint === 'chat' && canSendNow() && now - session.lastTypingSent >= TYPING_SEND_EVERY_MS) {
      session.lastTypingSent = now;
      sendCommand({ type: 'typing' });
    }
  }

  function sendPing() {
    if (!canSendNow()) {
      return;
    }
    const id = 'p' + (++session.pingCounter);
    session.pings.set(id, performance.now());
    if (session.pings.size > MAX_PENDING_PINGS) {
      session.pings.delete(session.pings.keys().next().value);
    }
    sendCommand({ type: 'ping', id });
  }

  function stableClientId() {
    let id = sessionStorage.getItem('wschat.client');
    if (!id) {
      id = newClientId();
      sessionStorage.setItem('wschat.client', id);
    }
    return id;
  }

  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID(); // only in secure contexts (https:, localhost)
    }
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // ---- rendering --------------------------------------------------------------------------

  function resetRoomView() {
    session.currentRoom = null;
    session.lastSeq = 0;
    session.seen.clear();
    session.noOlder = false;
    session.loadingOlder = false;
    session.myIds.clear();
    session.myId = null;
    session.typers.clear();
    ui.messages.replaceChildren();
    session.members.clear();
    session.memberCount = 0;
    ui.members.replaceChildren();
    ui.memberCount.textContent = '';
    ui.whoami.textContent = '';
    ui.handshake.textContent = 'Connect to /chat to see it.';
    ui.acceptCheck.textContent = '';
    renderTyping();
  }

  function createMessageItem(cid, mine) {
    const item = document.createElement('li');
    item.className = 'message' + (mine ? ' mine' : '');
    item.dataset.testid = 'message';
    if (cid) {
      item.dataset.cid = cid;
    }
    const meta = document.createElement('span');
    meta.className = 'meta';
    const from = document.createElement('span');
    from.className = 'from';
    const time = document.createElement('time');
    const status = document.createElement('span');
    status.className = 'status';
    meta.append(from, time, status);
    const text = document.createElement('span');
    text.className = 'text';
    item.append(meta, text);
    return item;
  }

  /** Fills a message item; with a seq it is the server's copy, so the message is acknowledged. */
  function fillMessage(item, message) {
    item.querySelector('.from').textContent = message.from;
    item.querySelector('.text').textContent = message.text;
    if (message.seq !== undefined) {
      item.dataset.seq = String(message.seq);
      item.dataset.status = 'acked';
      const time = item.querySelector('time');
      time.dateTime = new Date(message.ts).toISOString();
      time.textContent = clock(new Date(message.ts));
      item.querySelector('.status').textContent = '#' + message.seq;
    } else {
      item.querySelector('.status').textContent = 'sending…';
    }
  }

  function addLine(from, text, kind) {
    const item = createMessageItem('', kind === 'mine');
    item.classList.add(kind);
    item.querySelector('.from').textContent = from;
    item.querySelector('time').textContent = clock(new Date());
    item.querySelector('.text').textContent = text;
    appendBounded(ui.messages, item, MAX_MESSAGES);
  }

  function addSystemLine(text, kind) {
    const item = document.createElement('li');
    item.className = 'system' + (kind ? ' ' + kind : '');
    item.dataset.testid = 'system';
    item.textContent = text;
    appendBounded(ui.messages, item, MAX_MESSAGES);
  }

  function renderMembers() {
    const items = Array.from(session.members, ([id, name]) => {
      const item = document.createElement('li');
      item.dataset.id = id;
      item.textContent = name;
      if (id === session.myId) {
        item.classList.add('me');
        const you = document.createElement('span');
        you.className = 'you';
        you.textContent = 'you';
        item.append(' ', you);
      }
      return item;
    });
    ui.members.replaceChildren(...items);
    ui.memberCount.textContent = String(session.memberCount);
  }

  function renderTyping() {
    const now = Date.now();
    session.typers.forEach((typer, id) => {
      if (typer.until <= now) {
        session.typers.delete(id);
      }
    });
    const names = Array.from(session.typers.values(), (typer) => typer.name);
    ui.typing.textContent = names.length === 0 ? ''
        : names.join(', ') + (names.length === 1 ? ' is' : ' are') + ' typing…';
    clearTimeout(session.typingTimer);
    if (names.length > 0) {
      session.typingTimer = setTimeout(renderTyping, 500);
    }
  }

  /** Shows the handshake like the raw HTTP exchange: the request as received, then the 101 answer. */
  function renderHandshake(handshake) {
    ui.handshake.replaceChildren();
    ui.acceptCheck.textContent = '';
    if (!handshake) {
      ui.handshake.textContent = 'The server sent no handshake details.';
      return;
    }
    const headers = handshake.requestHeaders || {};
    let key = null;
    const line = (text, highlight) => {
      const span = document.createElement('span');
      span.textContent = text + '\n';
      if (highlight) {
        span.className = 'hl';
      }
      ui.handshake.append(span);
    };
    line(handshake.requestLine, false);
    Object.keys(headers).forEach((name) => {
      const isKey = name.toLowerCase() === 'sec-websocket-key';
      if (isKey) {
        key = headers[name];
      }
      line(name + ': ' + headers[name], isKey);
    });
    line('', false);
    line('HTTP/1.1 101 Switching Protocols', false);
    line('Upgrade: websocket', false);
    line('Connection: Upgrade', false);
    line('Sec-WebSocket-Accept: ' + handshake.secWebSocketAccept, true);
    checkAccept(key, handshake.secWebSocketAccept);
  }

  /** Recomputes the accept value with the browser's own SHA-1 (WebCrypto needs a secure context). */
  function checkAccept(key, accept) {
    const formula = 'Sec-WebSocket-Accept = base64(SHA-1(Sec-WebSocket-Key + "' + WEBSOCKET_GUID + '"))';
    ui.acceptCheck.textContent = formula;
    if (!key || !accept || !window.crypto || !window.crypto.subtle) {
      return;
    }
    window.crypto.subtle.digest('SHA-1', encoder.encode(key + WEBSOCKET_GUID)).then((digest) => {
      const computed = btoa(String.fromCharCode(...new Uint8Array(digest)));
      const ok = computed === accept;
      ui.acceptCheck.dataset.verified = String(ok);
      ui.acceptCheck.textContent = formula + (ok ? ' ✓ checked in your browser' : ' ✗ your browser computes ' + computed);
    });
  }

  function logFrame(direction, text) {
    const item = document.createElement('li');
    item.dataset.dir = direction;
    item.dataset.testid = 'frame';
    const time = document.createElement('time');
    time.textContent = clock(new Date());
    const dir = document.createElement('span');
    dir.className = 'dir';
    dir.textContent = direction === 'out' ? '→ sent' : '← received';
    const size = document.createElement('span');
    size.className = 'size';
    size.textContent = encoder.encode(text).length + ' B';
    const body = document.createElement('code');
    body.className = 'body';
    body.textContent = text;
    item.append(time, dir, size, body);
    appendBounded(ui.frameLog, item, MAX_LOG_ENTRIES);
  }

  function logEvent(text) {
    const item = document.createElement('li');
    item.dataset.dir = 'event';
    const time = document.createElement('time');
    time.textContent = clock(new Date());
    const body = document.createElement('span');
    body.className = 'event';
    body.textContent = '• ' + text;
    item.append(time, body);
    appendBounded(ui.frameLog, item, MAX_LOG_ENTRIES);
  }

  function appendBounded(list, item, max) {
    const stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.append(item);
    while (list.childElementCount > max) {
      list.firstElementChild.remove();
    }
    if (stick) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function clock(date) {
    return date.toLocaleTimeString([], { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  function showFormError(text) {
    ui.formError.textContent = text;
    ui.formError.hidden = !text;
  }

  function showEndpointFields() {
    document.body.classList.toggle('echo-mode', ui.endpoint.value === 'echo');
  }

  // ---- wiring -----------------------------------------------------------------------------

  // Lets the page's other scripts send commands on this /chat connection; false when there is none.
  window.wschat = Object.freeze({
    send(command) {
      if (session.endpoint !== 'chat' || !canSendNow()) {
        return false;
      }
      sendCommand(command);
      return true;
    },
  });

  ui.connectForm.addEventListener('submit', (event) => {
    event.preventDefault();
    connect();
  });
  ui.disconnect.addEventListener('click', disconnect);
  ui.endpoint.addEventListener('change', showEndpointFields);
  ui.sendForm.addEventListener('submit', (event) => {
    event.preventDefault();
    sendMessage();
  });
  ui.messageInput.addEventListener('input', sendTyping);
  ui.ping.addEventListener('click', sendPing);
  ui.loadOlder.addEventListener('click', loadOlder);
  ui.clearLog.addEventListener('click', () => ui.frameLog.replaceChildren());
  window.addEventListener('online', reconnectNow);

  // ?room=...&name=... pre-fills the form, so a link can invite someone into a room.
  const params = new URLSearchParams(location.search);
  if (params.get('room')) {
    ui.room.value = params.get('room');
  }
  if (params.get('name')) {
    ui.name.value = params.get('name');
  }
  showEndpointFields();
  setState('disconnected', 'disconnected');
})();

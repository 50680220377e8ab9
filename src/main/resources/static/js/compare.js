/*
 * "Why WebSockets" on the demo page: asks the server to run its measuring client against
 * itself (POST /api/compare/runs), or measures from this browser (fetch against a WebSocket),
 * and draws the results as a table and an SVG bar chart built from this script (no library).
 */
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const REPLY_PREFIX_BYTES = 'got your message: '.length;
  const TIMEOUT_MS = 10000;

  const el = (id) => document.getElementById(id);
  const ui = {
    form: el('compare-form'),
    exchanges: el('compare-exchanges'),
    payload: el('compare-payload'),
    server: el('compare-server'),
    browser: el('compare-browser'),
    status: el('compare-status'),
    chart: el('compare-chart'),
    table: el('compare-table'),
  };
  const basePath = (document.querySelector('meta[name="wschat-base"]') || {}).content || '/';
  const base = basePath.endsWith('/') ? basePath : basePath + '/';

  // ---- the two ways to run ----------------------------------------------------------------

  async function runOnServer() {
    const query = new URLSearchParams({ exchanges: ui.exchanges.value, payloadBytes: ui.payload.value });
    const response = await fetch(base + 'api/compare/runs?' + query, { method: 'POST' });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.detail || 'the server answered ' + response.status);
    }
    return {
      caption: body.exchanges + ' exchanges per mode, ' + body.payloadBytes + '-byte payload, measured by the server '
          + 'against itself over loopback (' + body.warmup + ' warm-up exchanges first).',
      modes: body.modes,
    };
  }

  async function runInBrowser() {
    const exchanges = Number(ui.exchanges.value);
    const payload = letters(Number(ui.payload.value));
    const fetchMode = await measure('fetch', 'fetch() from this page: the browser picks the connection, usually one kept alive',
        exchanges, () => fetchEcho(payload));
    const socket = await openSocket();
    try {
      const replies = replyQueue(socket);
      const wsMode = await measure('websocket', 'WebSocket from this page: one connection, message then reply', exchanges,
          () => { socket.send(payload); return replies.next(); });
      // RFC 6455 frame sizes: 2-byte header (+2 over 125 bytes), +4 for the browser's mask.
      wsMode.requestBytes = frameBytes(payload.length, true);
      wsMode.responseBytes = frameBytes(payload.length + REPLY_PREFIX_BYTES, false);
      wsMode.bytesPerExchange = wsMode.requestBytes + wsMode.responseBytes;
      return {
        caption: exchanges + ' exchanges per mode, ' + payload.length + '-byte payload, measured by this browser across '
            + 'the network to ' + location.host + '. Bytes: a page cannot see HTTP request headers, so only WebSocket frames are counted.',
        modes: [fetchMode, wsMode],
      };
    } finally {
      socket.close(1000, 'comparison done');
    }
  }

  async function fetchEcho(payload) {
    const response = await fetch(base + 'api/compare/echo?payload=' + payload, { cache: 'no-store' });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(response.status === 429 ? 'rate-limited by the server; wait a moment' : 'echo answered ' + response.status);
    }
    return text;
  }

  async function measure(mode, title, exchanges, exchange) {
    const latencies = [];
    const start = performance.now();
    for (let i = 0; i < exchanges; i++) {
      const t0 = performance.now();
      await exchange();
      latencies.push(performance.now() - t0);
    }
    const total = performance.now() - start;
    latencies.sort((a, b) => a - b);
    return {
      mode, title, exchanges, connections: null, totalMillis: total, requestsPerSecond: exchanges * 1000 / total,
      medianMillis: percentile(latencies, 50), p99Millis: percentile(latencies, 99),
      requestBytes: null, responseBytes: null, bytesPerExchange: null, setupBytes: null,
    };
  }

  function openSocket() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(scheme + '//' + location.host + base + 'echo');
    return new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('close', () => reject(new Error('the WebSocket to /echo did not open')), { once: true });
    });
  }

  /** Replies in arrival order; next() waits for the next one, with a deadline. */
  function replyQueue(socket) {
    const waiting = [];
    socket.addEventListener('message', () => {
      const resolve = waiting.shift();
      if (resolve) {
        resolve();
      }
    });
    return {
      next: () => new Promise((resolve, reject) => {
        waiting.push(resolve);
        setTimeout(() => reject(new Error('no WebSocket reply within ' + TIMEOUT_MS + ' ms')), TIMEOUT_MS);
      }),
    };
  }

  function frameBytes(payloadBytes, masked) {
    return 2 + (payloadBytes <= 125 ? 0 : payloadBytes <= 65535 ? 2 : 8) + (masked ? 4 : 0) + payloadBytes;
  }

  function percentile(ascending, percent) {
    const rank = Math.ceil(percent / 100 * ascending.length);
    return ascending[Math.max(0, rank - 1)];
  }

  function letters(n) {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += String.fromCharCode(97 + i % 26);
    }
    return s;
  }

  // ---- drawing ----------------------------------------------------------------------------

  function renderTable(modes) {
    const body = ui.table.tBodies[0];
    body.replaceChildren(...modes.map((m) => {
      const row = document.createElement('tr');
      row.dataset.mode = m.mode;
      const cells = [
        m.title,
        m.connections === null ? '—' : String(m.connections),
        m.totalMillis.toFixed(1),
        m.requestsPerSecond.toFixed(0),
        m.medianMillis.toFixed(3),
        m.p99Millis.toFixed(3),
        m.bytesPerExchange === null ? 'not visible to a page'
          : m.requestBytes.toFixed(0) + ' + ' + m.responseBytes.toFixed(0) + ' = ' + m.bytesPerExchange.toFixed(0),
        m.setupBytes === null ? '—' : String(m.setupBytes),
      ];
      cells.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) {
          cell.scope = 'row';
        }
        cell.textContent = text;
        row.append(cell);
      });
      return row;
    }));
  }

  /** One horizontal bar chart per measure, bars scaled to that measure's largest value. */
  function renderChart(modes) {
    const measures = [
      { key: 'requestsPerSecond', title: 'Requests per second (more is better)', format: (v) => v.toFixed(0) },
      { key: 'medianMillis', title: 'Median latency, ms (less is better)', format: (v) => v.toFixed(2) },
      { key: 'bytesPerExchange', title: 'Bytes per exchange (less is better)', format: (v) => v.toFixed(0) },
    ];
    const width = 480;
    const labelWidth = 84;
    const barHeight = 18;
    const gap = 6;
    const charts = measures.map((measure) => {
      const shown = modes.filter((m) => typeof m[measure.key] === 'number');
      const max = Math.max(...shown.map((m) => m[measure.key]), Number.MIN_VALUE);
      const height = 24 + shown.length * (barHeight + gap);
      const svg = svgElement('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', class: 'chart' });
      svg.append(svgText(measure.title, 0, 14, 'chart-title'));
      const description = svgElement('title', {});
      description.textContent = measure.title + ': ' + shown.map((m) => m.mode + ' ' + measure.format(m[measure.key])).join(', ');
      svg.append(description);
      shown.forEach((m, i) => {
        const y = 24 + i * (barHeight + gap);
        const barWidth = Math.max(1, (width - labelWidth - 70) * m[measure.key] / max);
        svg.append(svgText(m.mode, 0, y + barHeight - 5, 'chart-label'));
        svg.append(svgElement('rect', { x: labelWidth, y, width: barWidth, height: barHeight, class: 'bar bar-' + m.mode }));
        svg.append(svgText(measure.format(m[measure.key]), labelWidth + barWidth + 6, y + barHeight - 5, 'chart-value'));
      });
      return svg;
    });
    ui.chart.replaceChildren(...charts);
  }

  function svgElement(name, attributes) {
    const node = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach((key) => node.setAttribute(key, String(attributes[key])));
    return node;
  }

  function svgText(text, x, y, className) {
    const node = svgElement('text', { x, y, class: className });
    node.textContent = text;
    return node;
  }

  // ---- wiring -----------------------------------------------------------------------------

  async function run(kind) {
    if (!ui.form.reportValidity()) {
      return;
    }
    ui.server.disabled = true;
    ui.browser.disabled = true;
    ui.status.dataset.state = 'running';
    ui.status.textContent = kind === 'server' ? 'The server is measuring…' : 'This browser is measuring…';
    try {
      const result = kind === 'server' ? await runOnServer() : await runInBrowser();
      renderTable(result.modes);
      renderChart(result.modes);
      ui.status.dataset.state = 'done';
      ui.status.textContent = result.caption;
    } catch (e) {
      ui.status.dataset.state = 'failed';
      ui.status.textContent = 'The comparison failed: ' + e.message;
    } finally {
      ui.server.disabled = false;
      ui.browser.disabled = false;
    }
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    run('server');
  });
  ui.browser.addEventListener('click', () => run('browser'));
})();

/*
 * Server-initiated progress on the demo page: starts simulated jobs on the page's /chat
 * connection (through window.wschat from app.js) and draws a bar per job from the server's
 * "progress" events. Jobs started by other systems (POST /api/jobs) arrive with a room and
 * are shown too, without a cancel button. User data reaches the page only through textContent.
 */
(() => {
  'use strict';

  const MAX_JOBS_SHOWN = 8;
  const JOB_ERRORS = new Set(['invalid_job', 'too_many_jobs', 'unknown_job']);

  const el = (id) => document.getElementById(id);
  const ui = {
    form: el('progress-form'),
    chunks: el('progress-chunks'),
    interval: el('progress-interval'),
    fail: el('progress-fail'),
    start: el('progress-start'),
    error: el('progress-error'),
    jobs: el('jobs'),
  };
  const rows = new Map(); // job id -> row elements

  function start() {
    const command = {
      type: 'progress',
      chunks: Number(ui.chunks.value),
      intervalMs: Number(ui.interval.value),
      label: 'simulated download',
    };
    if (ui.fail.value) {
      command.failAtChunk = Number(ui.fail.value);
    }
    showError('');
    if (!window.wschat || !window.wschat.send(command)) {
      showError('Connect to /chat first: progress is pushed over that connection.');
    }
  }

  function onProgress(event) {
    let row = rows.get(event.jobId);
    if (!row) {
      row = createRow(event);
      rows.set(event.jobId, row);
      ui.jobs.prepend(row.item);
      trim();
    }
    row.item.dataset.state = event.state;
    row.bar.value = event.percent;
    row.bar.textContent = event.percent + '%';
    row.state.textContent = event.state + (event.reason ? ': ' + event.reason : '');
    row.figures.textContent = event.percent.toFixed(1) + '% · ' + bytes(event.bytes) + ' of ' + bytes(event.totalBytes)
        + ' · chunk ' + event.chunk + '/' + event.chunks + ' · ' + bytes(event.bytesPerSecond) + '/s'
        + (event.etaMillis !== undefined && event.state === 'running' ? ' · about ' + seconds(event.etaMillis) + ' left' : '');
    if (event.state !== 'running' && row.cancel) {
      row.cancel.remove();
      row.cancel = null;
    }
  }

  function createRow(event) {
    const item = document.createElement('li');
    item.className = 'job';
    item.dataset.testid = 'job';
    item.dataset.jobId = event.jobId;
    const head = document.createElement('div');
    head.className = 'job-head';
    const label = document.createElement('span');
    label.className = 'job-label';
    label.textContent = (event.label || 'job') + ' · ' + event.jobId + (event.room ? ' · room job in ' + event.room : '');
    const state = document.createElement('span');
    state.className = 'job-state';
    head.append(label, state);
    let cancel = null;
    if (!event.room) {
      cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'secondary small';
      cancel.textContent = 'Cancel';
      cancel.addEventListener('click', () => window.wschat && window.wschat.send({ type: 'cancel', jobId: event.jobId }));
      head.append(cancel);
    }
    const bar = document.createElement('progress');
    bar.max = 100;
    bar.value = 0;
    const figures = document.createElement('p');
    figures.className = 'job-figures';
    item.append(head, bar, figures);
    return { item, bar, state, figures, cancel };
  }

  /** Keeps the newest rows; running ones are never dropped for finished ones. */
  function trim() {
    const finished = Array.from(ui.jobs.children).filter((item) => item.dataset.state !== 'running').reverse();
    while (ui.jobs.childElementCount > MAX_JOBS_SHOWN && finished.length > 0) {
      const oldest = finished.shift();
      rows.delete(oldest.dataset.jobId);
      oldest.remove();
    }
  }

  /** The server stops a connection's jobs when it closes; say so instead of leaving bars frozen. */
  function onClosed() {
    rows.forEach((row) => {
      if (row.item.dataset.state === 'running') {
        onProgressEnd(row, 'cancelled: the connection closed');
      }
    });
    ui.start.disabled = true;
  }

  function onProgressEnd(row, text) {
    row.item.dataset.state = 'cancelled';
    row.state.textContent = text;
    if (row.cancel) {
      row.cancel.remove();
      row.cancel = null;
    }
  }

  function bytes(n) {
    if (n >= 1048576) {
      return (n / 1048576).toFixed(1) + ' MiB';
    }
    if (n >= 1024) {
      return (n / 1024).toFixed(1) + ' KiB';
    }
    return n + ' B';
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(1) + ' s';
  }

  function showError(text) {
    ui.error.textContent = text;
    ui.error.hidden = !text;
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  document.addEventListener('wschat:event', (e) => {
    const event = e.detail;
    if (event.type === 'welcome') {
      ui.start.disabled = false;
    } else if (event.type === 'progress') {
      onProgress(event);
    } else if (event.type === 'error' && JOB_ERRORS.has(event.code)) {
      showError(event.message);
    }
  });
  document.addEventListener('wschat:closed', onClosed);
})();

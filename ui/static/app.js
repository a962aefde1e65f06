// The voxelflow dashboard page. It reads only the JSON API (/api/v1/...) and refetches an endpoint
// when the server-sent events (/api/v1/events) name its topic. Every value from the server goes into
// the page as text (textContent), never as HTML: job names and task errors come from user code.

const api = (path) => fetch(`/api/v1/${path}`, { cache: 'no-store' }).then((r) => {
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
});

const state = { jobs: [], stages: [], tasks: [], executors: [], scans: [], previews: [], batch: null, app: null, stage: null };

// ---- formatting -------------------------------------------------------------------------------

function ms(v) {
  if (v === null || v === undefined) return '';
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(v / 60_000)} min ${Math.round((v % 60_000) / 1000)} s`;
}
const clock = (t) => (t ? new Date(t).toLocaleTimeString() : '');
const count = (n) => (n === null || n === undefined ? '' : n.toLocaleString('en-US'));
function bytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
const elapsed = (row) => row.durationMs ?? (row.submitted ? Date.now() - row.submitted : null);

// ---- DOM helpers ------------------------------------------------------------------------------

function cell(content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content === undefined || content === null ? '' : String(content);
  if (className) td.className = className;
  return td;
}
const status = (s) => cell(s, `status-${s}`);
function progress(done, all) {
  const wrap = document.createElement('span');
  const bar = document.createElement('span');
  bar.className = 'bar';
  const fill = document.createElement('span');
  fill.style.width = `${all > 0 ? Math.min(100, (100 * done) / all) : 0}%`;
  bar.append(fill);
  wrap.append(bar, `${done}/${all}`);
  return wrap;
}

/** Replaces a table's body with one row per item; `data` sets data-* attributes (tests read them). */
function fill(id, items, columns, data) {
  const table = document.getElementById(id);
  const body = table.tBodies[0];
  const rows = items.map((item) => {
    const tr = document.createElement('tr');
    for (const [k, v] of Object.entries(data(item))) tr.dataset[k] = String(v);
    tr.append(...columns(item));
    return tr;
  });
  body.replaceChildren(...rows);
  table.closest('section').querySelector('.empty').hidden = rows.length > 0;
  return rows;
}

// ---- renderers --------------------------------------------------------------------------------

const render = {
  app() {
    const a = state.app;
    if (a === null) return;
    document.getElementById('app').textContent = `${a.appName} · ${a.master} · ${a.defaultParallelism} cores · up ${ms(Date.now() - a.started)}`;
    document.getElementById('storage').textContent = a.storage
      ? `Driver storage: ${bytes(a.storage.memoryUsed)} of ${bytes(a.storage.memoryBudget)} in memory, ${a.storage.blocks} blocks, ${bytes(a.storage.spilledBytes)} spilled`
      : '';
  },
  jobs() {
    fill('jobs', state.jobs, (j) => [
      cell(j.jobId), cell(j.action ? `${j.action} at ${j.name}` : j.name), status(j.status), cell(j.stageIds.join(', ')),
      cell(progress(j.tasks.succeeded, Math.max(j.numTasks, j.tasks.succeeded))), cell(clock(j.submitted)), cell(ms(elapsed(j))),
      ...(j.error ? [cell(j.error, 'error')] : []),
    ], (j) => ({ jobId: j.jobId, status: j.status }));
  },
  stages() {
    const rows = fill('stages', state.stages, (s) => [
      cell(s.attempt > 0 ? `${s.stageId} (retry ${s.attempt})` : s.stageId), cell(s.jobId), cell(s.name), cell(s.kind === 'result' ? 'result' : 'shuffle map'),
      status(s.status), cell(progress(s.tasks.succeeded, s.numTasks)), cell(ms(s.taskTimeMs)), cell(count(s.records)),
      cell(s.shuffleBytesWritten ? bytes(s.shuffleBytesWritten) : ''), cell(ms(elapsed(s))),
    ], (s) => ({ stageId: s.stageId, attempt: s.attempt, jobId: s.jobId, status: s.status }));
    for (const tr of rows) {
      const id = Number(tr.dataset.stageId);
      tr.classList.toggle('selected', id === state.stage);
      tr.addEventListener('click', () => selectStage(state.stage === id ? null : id));
    }
  },
  tasks() {
    fill('tasks', state.tasks, (t) => [
      cell(t.taskId), cell(t.stageId), cell(t.partition), cell(t.speculative ? `${t.attempt} (speculative)` : t.attempt), cell(t.executorId),
      status(t.status), cell(ms(t.durationMs ?? Date.now() - t.launched)), cell(count(t.records)), cell(t.error ?? '', t.error ? 'error' : ''),
    ], (t) => ({ taskId: t.taskId, stageId: t.stageId, status: t.status }));
  },
  executors() {
    fill('executors', state.executors, (x) => [
      cell(x.executorId), cell(x.host ?? ''), status(x.status), cell(x.cores), cell(x.memoryBytes === null ? '' : bytes(x.memoryBytes)), cell(x.tasks.active), cell(x.tasks.succeeded), cell(x.tasks.failed + x.tasks.killed),
      cell(ms(x.taskTimeMs)), cell(x.removedReason ?? ''),
    ], (x) => ({ executorId: x.executorId, status: x.status }));
  },
  scans() {
    fill('scans', state.scans, (s) => [
      cell(s.scanId), status(s.status), cell(s.expected ?? '?'),
      cell(Object.entries(s.counters).map(([k, v]) => `${k} ${count(v)}`).join(' · ')), cell(clock(s.updated)),
    ], (s) => ({ scanId: s.scanId, status: s.status }));
  },
  // A batch project's items (voxelflow batch run --ui-port): shown only while a driver runs one.
  batch() {
    const b = state.batch;
    document.getElementById('batch-section').hidden = b === null;
    if (b === null) return;
    const eta = b.etaSeconds === null ? '' : b.running + b.pending === 0 ? ' · finished' : ` · ETA ${ms(b.etaSeconds * 1000)}`;
    const summary = document.getElementById('batch-summary');
    summary.replaceChildren(`${b.project}: `, progress(b.done, b.total), ` done · ${b.running} running · ${b.pending} pending · ${b.failed} failed${eta}`);
    fill('batch', b.items, (i) => [
      cell(i.item), cell(i.sample), status(i.state), cell(i.attempts), cell(i.seconds === null ? '' : ms(i.seconds * 1000)), cell(i.error ?? '', i.error ? 'error' : ''),
    ], (i) => ({ item: i.item, state: i.state }));
  },
  previews() {
    const box = document.getElementById('previews');
    const figures = state.previews.map((p) => {
      const fig = document.createElement('figure');
      fig.dataset.previewId = p.id;
      fig.dataset.version = String(p.version);
      const img = document.createElement('img');
      img.src = p.url;
      img.alt = p.name;
      const cap = document.createElement('figcaption');
      cap.textContent = p.width ? `${p.name} (${p.width} × ${p.height})` : p.name;
      fig.append(img, cap);
      return fig;
    });
    box.replaceChildren(...figures);
    box.closest('section').querySelector('.empty').hidden = figures.length > 0;
  },
};

// ---- loading ----------------------------------------------------------------------------------

const inflight = new Map();

/** Fetches a topic's endpoint and renders it; a request while one runs is folded into one more. */
function load(topic) {
  if (inflight.has(topic)) {
    inflight.set(topic, true);
    return;
  }
  inflight.set(topic, false);
  const path = topic === 'tasks' && state.stage !== null ? `tasks?stage=${state.stage}` : topic;
  api(path)
    .then((data) => {
      state[topic] = data;
      render[topic]();
    })
    .catch((err) => console.warn(`voxelflow dashboard: ${err.message}`))
    .finally(() => {
      const again = inflight.get(topic);
      inflight.delete(topic);
      if (again) load(topic);
    });
}

function selectStage(id) {
  state.stage = id;
  document.getElementById('tasks-of').textContent = id === null ? '(latest; click a stage to filter)' : `(stage ${id}; click it again for all)`;
  render.stages();
  load('tasks');
}

const TOPICS = ['app', 'jobs', 'stages', 'tasks', 'executors', 'scans', 'previews', 'batch'];

function connect() {
  const badge = document.getElementById('live');
  const events = new EventSource('/api/v1/events');
  events.addEventListener('hello', () => {
    badge.dataset.state = 'live';
    badge.textContent = 'live';
    // (Re)connected: anything may have changed while the stream was down.
    for (const t of TOPICS) load(t);
  });
  events.addEventListener('update', (e) => {
    for (const t of JSON.parse(e.data).topics) if (TOPICS.includes(t)) load(t);
    load('app');
  });
  events.addEventListener('error', () => {
    badge.dataset.state = 'offline';
    badge.textContent = 'offline (retrying)';
  });
}

// Running jobs, stages and tasks show a growing duration without waiting for an event.
setInterval(() => {
  if (state.jobs.some((j) => j.status === 'running')) render.jobs();
  if (state.stages.some((s) => s.status === 'active')) render.stages();
  if (state.tasks.some((t) => t.status === 'running')) render.tasks();
  render.app();
}, 1000);

connect();

// Shared by every page: fetching JSON, the live event stream, the banner that
// says when firefighterd (or this dashboard's server) is unreachable, and
// formatting. No framework, no build step: the process serves this file as is.
'use strict';

const FF = (() => {
  // The vocabulary — every status, severity, close reason and role as
  // {word, label, meaning}, in order — is embedded in each page by the
  // server, which owns the words; the endpoints answer with the words.
  const VOCABULARY = JSON.parse(document.getElementById('vocabulary').textContent);
  const byWord = (terms, key) => Object.fromEntries(terms.map((t) => [t.word, t[key]]));
  const STATUS_LABELS = byWord(VOCABULARY.statuses, 'label');
  const STATUSES = VOCABULARY.statuses.map((t) => t.word);
  const SEVERITY_LABELS = byWord(VOCABULARY.severities, 'label');
  const SEVERITY_TITLES = byWord(VOCABULARY.severities, 'meaning');
  const SEVERITIES = VOCABULARY.severities.map((t) => t.word);
  const CLOSE_REASON_LABELS = byWord(VOCABULARY.close_reasons, 'label');
  // Which phase each status is in (responding, resolved, closed): the
  // status chips are coloured by it.
  const STATUS_PHASES = byWord(VOCABULARY.statuses, 'phase');

  // Difference between the server's clock and ours, so durations agree with
  // the server even when this machine's clock is off.
  let clockSkewMs = 0;

  // el('span', {class: 'x', text: 'hi'}, child…): a small DOM builder that
  // only ever sets text, never HTML, so stored text cannot inject markup.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : String(child));
      }
    }
    return node;
  }

  function severityBadge(severity) {
    const label = SEVERITY_LABELS[severity] || severity;
    return el('span', {
      class: `sev sev-${severity}`, text: label,
      title: `${label}: ${SEVERITY_TITLES[severity] || ''}`,
    });
  }

  // The chip always says the status in words; its colour (by phase) only
  // repeats what the word says.
  function statusBadge(status) {
    const phase = STATUS_PHASES[status] || 'responding';
    return el('span', {class: `status status-${status} phase-${phase}`,
      text: STATUS_LABELS[status] || status});
  }

  function now() { return Date.now() + clockSkewMs; }

  // "45s", "12m 05s", "3h 07m", "2d 4h".
  function formatDuration(ms) {
    let s = Math.max(0, Math.floor(ms / 1000));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const pad = (n) => String(n).padStart(2, '0');
    if (d > 0) return `${d}d ${h}h`;
    if (h > 0) return `${h}h ${pad(m)}m`;
    if (m > 0) return `${m}m ${pad(s)}s`;
    return `${s}s`;
  }

  // How long ago, for a "last update": "just now", "12 min ago",
  // "3 h ago", "2 d ago".
  function formatAgo(ms) {
    const minutes = Math.floor(Math.max(0, ms) / 60000);
    if (minutes < 1) return 'just now';
    if (minutes < 60) return `${minutes} min ago`;
    if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h ago`;
    return `${Math.floor(minutes / 1440)} d ago`;
  }

  // ago(iso): a <time> saying how long ago `iso` was (kept current by
  // tickDurations), with the date and time on hover.
  function ago(iso) {
    return el('time', {datetime: iso, title: formatTime(iso), 'data-ago': iso,
      text: formatAgo(now() - Date.parse(iso))});
  }

  // The local calendar day of `iso`, as a key ("2025-3-3") and as a heading
  // ("Mon 3 Mar 2025" in en-GB).
  function dayKey(iso) {
    const t = new Date(iso);
    return `${t.getFullYear()}-${t.getMonth() + 1}-${t.getDate()}`;
  }
  function formatDay(iso) {
    return new Date(iso).toLocaleDateString(undefined, {
      weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
    });
  }

  function formatTime(iso) {
    if (!iso) return '';
    const t = new Date(iso);
    return t.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
      second: '2-digit',
    });
  }

  // Live durations: every element with data-since (and optional data-until)
  // shows the time between them, and every data-ago element how long ago it
  // was, refreshed each second.
  function tickDurations() {
    for (const node of document.querySelectorAll('[data-since]')) {
      const since = Date.parse(node.dataset.since);
      const until = node.dataset.until ? Date.parse(node.dataset.until) : now();
      const extra = Number(node.dataset.extraMs || 0);
      node.textContent = formatDuration(until - since + extra);
    }
    for (const node of document.querySelectorAll('[data-ago]')) {
      node.textContent = formatAgo(now() - Date.parse(node.dataset.ago));
    }
  }
  setInterval(tickDurations, 1000);

  // The banner shows whichever of the two links is broken: browser → this
  // dashboard's server, or dashboard → firefighterd.
  const problems = {web: false, core: false};
  function setProblem(kind, present) {
    problems[kind] = present;
    const banner = document.getElementById('banner');
    const live = document.getElementById('live');
    let text = '';
    if (problems.web) {
      text = 'The dashboard server is unreachable. Showing the last known state; reconnecting…';
    } else if (problems.core) {
      text = 'Cannot reach firefighterd. Showing the last known state; retrying…';
    }
    if (banner) {
      banner.textContent = text;
      banner.hidden = text === '';
    }
    if (live) {
      live.dataset.state = text ? 'down' : 'live';
      live.querySelector('.label').textContent = text ? 'Disconnected' : 'Live';
    }
  }

  // getJson fetches a JSON endpoint. Resolves with {status, body}; network
  // failures and 503 (firefighterd unreachable) raise the banner.
  async function getJson(path) {
    let response;
    try {
      response = await fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'});
    } catch (e) {
      setProblem('web', true);
      return {status: 0, body: null};
    }
    setProblem('web', false);
    const body = await response.json().catch(() => null);
    if (response.status === 503) setProblem('core', true);
    else if (response.ok) setProblem('core', false);
    if (body && body.server_time) clockSkewMs = Date.parse(body.server_time) - Date.now();
    return {status: response.status, body};
  }

  // live(onChange, onReconnect): follows /api/events. onChange(event) runs
  // for each incident change; onReconnect() when firefighterd is reachable
  // again, since changes made while it was not were never streamed.
  function live(onChange, onReconnect) {
    let source = null;
    let coreDown = false;
    let webDown = false;
    function connect() {
      source = new EventSource('/api/events');
      source.addEventListener('open', () => {
        if (webDown) {
          webDown = false;
          setProblem('web', false);
          onReconnect();
        } else if (!coreDown) {
          setProblem('core', false);
        }
      });
      source.addEventListener('error', () => {
        webDown = true;
        setProblem('web', true);
        // The browser retries by itself unless the server answered with an
        // error; then start over.
        if (source.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
      });
      source.addEventListener('core', (message) => {
        const connected = JSON.parse(message.data).connected;
        setProblem('core', !connected);
        if (connected && coreDown) onReconnect();
        coreDown = !connected;
      });
      source.addEventListener('incident', (message) => onChange(JSON.parse(message.data)));
    }
    connect();
  }

  // debounce(fn, ms): many changes in a burst cause one reload.
  function debounce(fn, ms) {
    let timer = null;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  }

  return {
    VOCABULARY, STATUS_LABELS, STATUSES, SEVERITIES, SEVERITY_LABELS, SEVERITY_TITLES,
    CLOSE_REASON_LABELS, STATUS_PHASES, el, severityBadge, statusBadge, ago, dayKey, formatDay,
    formatAgo, formatDuration, formatTime, tickDurations, getJson, live, debounce, now, setProblem,
  };
})();

/**
 * The evidence panel's script (evidence-panel.ts renders what it reads): a constant, allowed by
 * the page's CSP nonce or hash, never built from input. For every panel on the page:
 *
 * - files chosen or dropped on an item are checked here first (type by name ending, size, empty,
 *   the item's file count), and a refusal is said in the page's language before any request;
 * - each accepted file is hashed (WebCrypto SHA-256), an upload is asked for (`data-request-url`,
 *   with the sha256 and an Idempotency-Key kept across retries), and the bytes are posted straight
 *   to the bucket through the presigned POST with XMLHttpRequest, whose upload progress fills a
 *   <progress>; at most 3 files at a time, the rest wait in line;
 * - a failed upload keeps its row with a Retry button;
 * - while any file of the panel is being checked (PENDING), the evidence list (`data-list-url`) is
 *   fetched again, after 1 s, then each time 1.5× later (at most 10 s), and every row shows its
 *   verdict with the validator's reasons;
 * - Remove deletes a file (`data-remove-url`); Replace chooses a new file for the item and, once
 *   the new one is uploaded, removes the invalid one.
 *
 * Text goes in with textContent only. Rows carry `data-status` (QUEUED, UPLOADING, FAILED, PENDING,
 * VALID, INVALID) so people's tools and tests can follow them.
 */
export const UPLOADER_SCRIPT = `(() => {
  const CONCURRENCY = 3;
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const fill = (text, values) => text.replace(/\\{(\\w+)\\}/g, (_, k) => (values[k] === undefined ? '' : String(values[k])));
  const sizeText = (bytes) => bytes < 1048576 ? Math.max(1, Math.ceil(bytes / 1024)) + ' KB' : (bytes / 1048576).toFixed(1) + ' MB';
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : hex(crypto.getRandomValues(new Uint8Array(16))));

  for (const panel of document.querySelectorAll('[data-evidence-panel]')) {
    const words = JSON.parse(panel.dataset.words || '{}');
    const lang = panel.dataset.lang === 'en' ? 'en' : 'zh';
    const urls = { request: panel.dataset.requestUrl, list: panel.dataset.listUrl, remove: panel.dataset.removeUrl };
    // Instants compare the same on any clock's time zone; the words carry the deadline in Beijing time.
    const deadline = Date.parse(panel.dataset.deadline || '');
    const late = () => Number.isFinite(deadline) && Date.now() > deadline;
    const queue = [];
    let running = 0;
    let pollTimer = 0;
    let pollDelay = 1000;

    const itemOf = (criterion) => panel.querySelector('.ev-item[data-criterion="' + CSS.escape(criterion) + '"]');
    const refuse = (item, text) => { const out = item.querySelector('.ev-refusal'); out.textContent = text; out.hidden = !text; };
    const setState = (row, status, text) => {
      row.dataset.status = status;
      const state = row.querySelector('.ev-state');
      state.textContent = text === undefined ? (words[status] || status) : text;
      state.className = 'ev-state ev-' + status.toLowerCase();
    };
    const setReasons = (row, reasons) => {
      const list = row.querySelector('.ev-reasons');
      list.replaceChildren(...reasons.map((r) => el('li', '', r)));
    };
    const counted = (item) => Array.from(item.querySelectorAll('.ev-file')).filter((r) => r.dataset.status !== 'INVALID' && r.dataset.status !== 'FAILED' && !r.dataset.replacing).length;
    const syncNone = (item) => { const none = item.querySelector('.ev-none'); if (none) none.hidden = item.querySelectorAll('.ev-file').length > 0; };

    function actions(row, item) {
      let box = row.querySelector('.ev-actions');
      if (!box) { box = el('span', 'ev-actions'); row.append(box); }
      box.replaceChildren();
      if (item.dataset.changeable !== 'true') return;
      const status = row.dataset.status;
      if (status === 'FAILED' && !late()) {
        const retry = el('button', 'ev-retry', words.retry); retry.type = 'button';
        retry.addEventListener('click', () => enqueue(row.upload));
        box.append(retry);
      }
      if (status === 'INVALID' && !late()) {
        const replace = el('button', 'ev-replace', words.replace); replace.type = 'button';
        replace.addEventListener('click', () => chooseReplacement(row, item));
        box.append(replace);
      }
      if (urls.remove && row.dataset.evidenceId && (status === 'INVALID' || status === 'VALID' || status === 'PENDING')) {
        const remove = el('button', 'ev-remove', words.remove); remove.type = 'button';
        remove.addEventListener('click', () => removeRow(row, item));
        box.append(remove);
      }
      if (status === 'FAILED' && !row.dataset.evidenceId) {
        const drop = el('button', 'ev-remove', words.remove); drop.type = 'button';
        drop.addEventListener('click', () => { row.remove(); syncNone(item); });
        box.append(drop);
      }
    }

    function newRow(item, file) {
      const row = el('li', 'ev-file');
      row.append(el('span', 'ev-name', file.name), document.createTextNode(' '), el('span', 'note', sizeText(file.size)), el('span', 'ev-state'), el('ul', 'ev-reasons'));
      const bar = el('progress'); bar.max = 100; bar.value = 0; bar.setAttribute('aria-label', words.progress + ': ' + file.name); bar.hidden = true;
      row.append(bar);
      item.querySelector('.ev-files').append(row);
      syncNone(item);
      return row;
    }

    /** The item's accepted type for this file name, or undefined. */
    function typeFor(item, name) {
      const lower = name.toLowerCase();
      return JSON.parse(item.dataset.types).find((t) => t.ext.some((ext) => lower.endsWith(ext)));
    }

    function accept(item, files, replacing) {
      refuse(item, '');
      const problems = [];
      let room = Number(item.dataset.maxFiles) - counted(item);
      for (const file of files) {
        const type = typeFor(item, file.name);
        const max = Number(item.dataset.maxBytes);
        if (!type) problems.push(fill(words.wrongType, { name: file.name, types: item.dataset.typeNames }));
        else if (file.size === 0) problems.push(fill(words.empty, { name: file.name }));
        else if (file.size > max) problems.push(fill(words.tooLarge, { name: file.name, size: sizeText(file.size), max: sizeText(max) }));
        else if (room <= 0) problems.push(fill(words.tooMany, { max: item.dataset.maxFiles }));
        else {
          room -= 1;
          const row = newRow(item, file);
          row.upload = { row, item, file, mime: type.mime, key: newKey(), replaces: replacing };
          if (replacing) replacing.dataset.replacing = 'true';
          setState(row, 'QUEUED', words.queued);
          enqueue(row.upload);
        }
      }
      refuse(item, problems.join('\\n'));
    }

    function enqueue(upload) {
      setState(upload.row, 'QUEUED', words.queued);
      actions(upload.row, upload.item);
      queue.push(upload);
      pump();
    }

    function pump() {
      while (running < CONCURRENCY && queue.length > 0) {
        const upload = queue.shift();
        running += 1;
        send(upload).finally(() => { running -= 1; pump(); });
      }
    }

    async function send(upload) {
      const { row, item, file } = upload;
      const bar = row.querySelector('progress');
      try {
        setState(row, 'HASHING', words.hashing);
        const sha256 = upload.sha256 || (upload.sha256 = hex(await crypto.subtle.digest('SHA-256', await file.arrayBuffer())));
        const response = await fetch(urls.request, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': upload.key },
          body: JSON.stringify({ criterion: item.dataset.criterion, fileName: file.name, contentType: upload.mime, size: file.size, sha256 }),
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(messageOf(body, response.status));
        row.dataset.evidenceId = body.evidenceId;
        setState(row, 'UPLOADING', words.uploading);
        bar.hidden = false;
        await post(body.upload, file, (share) => { bar.value = Math.round(share * 100); });
        bar.value = 100;
        bar.hidden = true;
        setState(row, 'PENDING');
        actions(row, item);
        if (upload.replaces) await removeRow(upload.replaces, item, true);
        schedulePoll(true);
      } catch (error) {
        bar.hidden = true;
        setState(row, 'FAILED', words.failed);
        // Past the deadline the refusal (the API's, or S3's on an expired link) has one cause.
        setReasons(row, [late() ? fill(words.late, { deadline: panel.dataset.deadlineText }) : String(error && error.message ? error.message : error)]);
        actions(row, item);
      }
    }

    function messageOf(body, status) {
      const error = body && body.error;
      if (!error) return words.failed + ' (' + status + ')';
      const details = (error.details || []).map((d) => d.message).filter(Boolean);
      return error.message + (details.length ? ': ' + details.join('; ') : '') + ' (' + status + ')';
    }

    /** The presigned POST: its fields first, then the file; resolves on a 2xx answer. */
    function post(upload, file, progress) {
      return new Promise((resolve, reject) => {
        const form = new FormData();
        for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
        form.append('file', file);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', upload.url);
        xhr.upload.addEventListener('progress', (event) => { if (event.lengthComputable) progress(event.loaded / event.total); });
        xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(words.failed + ' (' + xhr.status + ')'))));
        xhr.addEventListener('error', () => reject(new Error(words.failed)));
        xhr.addEventListener('abort', () => reject(new Error(words.failed)));
        xhr.send(form);
      });
    }

    async function removeRow(row, item, quiet) {
      const id = row.dataset.evidenceId;
      if (!id || !urls.remove) return;
      setState(row, row.dataset.status, words.removing);
      try {
        const response = await fetch(urls.remove.replace('{evidenceId}', encodeURIComponent(id)), {
          method: 'DELETE', credentials: 'same-origin', headers: { accept: 'application/json' },
        });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(messageOf(body, response.status));
        row.remove();
        syncNone(item);
      } catch (error) {
        delete row.dataset.replacing;
        setState(row, row.dataset.status, words.removeFailed);
        if (!quiet) refuse(item, String(error && error.message ? error.message : error));
      }
    }

    function chooseReplacement(row, item) {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = item.querySelector('.ev-input') ? item.querySelector('.ev-input').accept : '';
      input.hidden = true;
      input.className = 'ev-replacement';
      input.addEventListener('change', () => { accept(item, Array.from(input.files || []).slice(0, 1), row); input.remove(); });
      row.append(input);
      input.click();
    }

    function schedulePoll(reset) {
      if (reset) pollDelay = 1000;
      if (pollTimer) return;
      pollTimer = setTimeout(poll, pollDelay);
    }

    async function poll() {
      pollTimer = 0;
      try {
        const response = await fetch(urls.list, { credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (response.ok) {
          const { evidence } = await response.json();
          for (const record of evidence || []) {
            const row = panel.querySelector('.ev-file[data-evidence-id="' + CSS.escape(record.evidenceId) + '"]');
            if (!row || row.dataset.status === record.status || ['QUEUED', 'HASHING', 'UPLOADING', 'FAILED'].includes(row.dataset.status)) continue;
            setState(row, record.status);
            setReasons(row, record.status === 'INVALID' ? (record.findings || []).map((f) => (f.message && f.message[lang]) || f.code) : []);
            actions(row, itemOf(record.criterion) || row.closest('.ev-item'));
          }
        }
      } catch (error) {
        // The next round tries again.
      }
      if (panel.querySelector('.ev-file[data-status="PENDING"]')) {
        pollDelay = Math.min(pollDelay * 1.5, 10000);
        schedulePoll(false);
      }
    }

    for (const item of panel.querySelectorAll('.ev-item')) {
      for (const row of item.querySelectorAll('.ev-file')) actions(row, item);
      if (item.dataset.changeable !== 'true') continue;
      const input = item.querySelector('.ev-input');
      input.addEventListener('change', () => { accept(item, Array.from(input.files || [])); input.value = ''; });
      const zone = item.querySelector('.ev-drop');
      zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('ev-over'); });
      zone.addEventListener('dragleave', () => zone.classList.remove('ev-over'));
      zone.addEventListener('drop', (event) => {
        event.preventDefault();
        zone.classList.remove('ev-over');
        accept(item, Array.from((event.dataTransfer && event.dataTransfer.files) || []));
      });
    }
    if (panel.querySelector('.ev-file[data-status="PENDING"]')) schedulePoll(true);
  }
})();`;

"use strict";
// The page's only script. Every piece of the article is set with textContent: it is data,
// never markup. The answer is streamed: progress lines, then the result and its downloads.
(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("form"), article = $("article"), file = $("file"), go = $("go");
  const progress = $("progress"), progressText = $("progress-text"), error = $("error");
  let dropped = null;

  fetch("/frontend/settings").then((r) => r.json()).then((s) => {
    if (s.keyRequired) $("key-row").hidden = false;
  }).catch(() => {});

  article.addEventListener("dragover", (e) => { e.preventDefault(); article.classList.add("drop"); });
  article.addEventListener("dragleave", () => article.classList.remove("drop"));
  article.addEventListener("drop", (e) => {
    e.preventDefault();
    article.classList.remove("drop");
    if (e.dataTransfer.files.length) {
      dropped = e.dataTransfer.files[0];
      $("dropped").textContent = dropped.name;
    }
  });
  file.addEventListener("change", () => {
    dropped = file.files[0] || null;
    $("dropped").textContent = dropped ? dropped.name : "";
  });

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
  }

  function showProgress(done, total) {
    progress.hidden = false;
    progress.max = Math.max(total, 1);
    progress.value = done;
    progressText.textContent = `translating: ${done} of ${total} sentences`;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function sentenceSpan(sentence, side) {
    const text = side === "fr" ? sentence.source : (sentence.target ?? sentence.source);
    const span = el("span", text + " ");
    if (sentence.flags && sentence.flags.length) {
      span.className = "flag";
      span.title = sentence.flags.map((f) => `${f.check}: ${f.detail}`).join("\n");
    } else if (sentence.status === "kept") {
      span.className = "kept";
      if (sentence.reason) span.title = sentence.reason;
    }
    return span;
  }

  function show(result, downloads) {
    $("headline").textContent = result.title ? (result.title.target ?? result.title.source) : "";
    const flagged = result.paragraphs.flat().filter((s) => s.flags && s.flags.length).length;
    $("checks").textContent = flagged
      ? `${flagged} sentence${flagged === 1 ? "" : "s"} to check (highlighted)`
      : "no sentence to check";
    const summary = $("summary");
    summary.replaceChildren(...(result.summary || []).map((s) => el("li", s.target ?? s.source)));
    $("summary-section").hidden = !result.summary;
    const rows = $("rows");
    rows.replaceChildren();
    if (result.mode !== "summary") {
      for (const paragraph of result.paragraphs) {
        const shown = paragraph.filter((s) => s.status !== "skipped");
        if (!shown.length) continue;
        const row = el("tr"), fr = el("td"), en = el("td");
        fr.lang = "fr";
        shown.forEach((s) => { fr.append(sentenceSpan(s, "fr")); en.append(sentenceSpan(s, "en")); });
        row.append(fr, en);
        rows.append(row);
      }
    }
    $("bilingual").hidden = result.mode === "summary";
    const nav = $("downloads");
    nav.replaceChildren();
    const types = { html: "text/html", markdown: "text/markdown", json: "application/json" };
    const suffixes = { html: "html", markdown: "md", json: "json" };
    const labels = { html: "HTML", markdown: "Markdown", json: "JSON" };
    for (const [name, text] of Object.entries(downloads)) {
      const link = el("a", `Download ${labels[name]}`);
      link.href = URL.createObjectURL(new Blob([text], { type: types[name] }));
      link.download = `article.en.${suffixes[name]}`;
      nav.append(link);
    }
    $("output").hidden = false;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const body = new FormData();
    const text = article.value.trim();
    if (dropped) body.append("file", dropped);
    else if (/^https?:\/\/\S+$/i.test(text)) body.append("url", text);
    else if (text) body.append("text", article.value);
    else { fail("Paste a French article (or its address), or choose a file."); return; }
    body.append("mode", form.elements.mode.value);
    body.append("stream", "true");
    const key = $("api-key").value;
    if (key) body.append("api_key", key);
    go.disabled = true;
    progressText.textContent = "reading the article…";
    try {
      const response = await fetch("/v1/articles", { method: "POST", body });
      if (!response.ok) {
        const answer = await response.json().catch(() => ({ error: response.statusText }));
        fail(answer.error || `the server answered ${response.status}`);
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n")) >= 0) {
          const line = JSON.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 1);
          if (line.progress) showProgress(line.progress.done, line.progress.total);
          else if (line.error) fail(line.error);
          else if (line.result) { show(line.result, line.downloads); progressText.textContent = "done"; }
        }
        if (done) break;
      }
    } catch (problem) {
      fail(`the server could not be reached (${problem})`);
    } finally {
      go.disabled = false;
    }
  });
})();

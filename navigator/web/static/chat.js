// The resident chat. It sends what the resident writes to /chat/send (the web app passes it
// to the assistant) and shows the assistant's messages: text, quick replies and service
// cards. Everything from the server or the resident goes on the page as text
// (textContent), never as HTML; a link is made only from a card's href field, and only
// with the https:, tel: or mailto: scheme.
//
// The conversation (a random sender id and the transcript) lives in sessionStorage: a
// reload in the same tab keeps it, closing the browser forgets it.
(function () {
  "use strict";

  const STORE_KEY = "navigator.chat";
  const CARD_TYPE = "navigator.service";
  const SAFE_LINK = /^(https:|tel:|mailto:)/i;
  const ROLES = ["emergency", "crisis", "ladder"];

  const root = document.getElementById("chat");
  if (!root) {
    return;
  }
  const lang = root.dataset.lang;
  const privacyUrl = root.dataset.privacyUrl || "";
  const t = JSON.parse(root.dataset.texts);
  const log = document.getElementById("log");
  const replies = document.getElementById("quick-replies");
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const clearButton = document.getElementById("clear");

  let state = load() || fresh();
  let busy = false;

  // --- The conversation's state --------------------------------------------------------

  function fresh() {
    return { sender: newSender(), lang: lang, opened: false, entries: [], replies: [] };
  }

  // 32 hex digits; getRandomValues works on plain http too (randomUUID needs https).
  function newSender() {
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function load() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY));
      return saved && typeof saved.sender === "string" && Array.isArray(saved.entries)
        ? saved
        : null;
    } catch (e) {
      return null; // storage blocked or broken: start a new conversation
    }
  }

  function save() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) {
      // Storage full or blocked: the chat still works, only a reload forgets it.
    }
  }

  // --- Building the page, as text only ---------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function safeHref(href) {
    return typeof href === "string" && SAFE_LINK.test(href.trim()) ? href.trim() : null;
  }

  // The privacy notice's address standing alone in the bot's text ("...: /privacy").
  const privacyMention = privacyUrl ? standingAlone(privacyUrl) : null;

  function standingAlone(path) {
    const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return new RegExp("(?<=^|\\s)" + escaped + "(?=$|[\\s.,;:!?)])");
  }

  // The bot's text, with the privacy notice's address (a constant of this site, not data)
  // as a link, so the opening notice's reference can be followed.
  function textParagraph(text) {
    const p = el("p", "msg__text");
    const parts = privacyMention ? String(text).split(privacyMention) : [String(text)];
    parts.forEach((part, i) => {
      if (i > 0) {
        const a = el("a", null, privacyUrl);
        a.href = privacyUrl;
        p.append(a);
      }
      p.append(document.createTextNode(part));
    });
    return p;
  }

  function card(data) {
    const role = ROLES.includes(data.role) ? data.role : "ladder";
    const article = el("article", "card card--" + role);
    article.append(el("h3", "card__name", data.name));
    if (data.level_text) {
      article.append(el("p", "card__level", data.level_text));
    }
    if (data.alert) {
      const alert = el("p", "card__alert");
      alert.append(el("strong", null, t.card_alert + " "), document.createTextNode(data.alert));
      article.append(alert);
    }
    if (data.summary) {
      article.append(el("p", "card__summary", data.summary));
    }
    const facts = el("dl", "card__facts");
    [[t.card_provider, data.provider], [t.card_reason, data.reason]].forEach(([term, value]) => {
      if (value) {
        facts.append(el("dt", null, term), el("dd", null, value));
      }
    });
    article.append(facts);
    const contacts = Array.isArray(data.contacts) ? data.contacts : [];
    if (contacts.length) {
      article.append(el("h4", "card__contacts-heading", t.card_contacts));
      const list = el("ul", "card__contacts");
      contacts.forEach((c) => list.append(contactLine(c)));
      article.append(list);
    }
    return article;
  }

  function contactLine(c) {
    const item = el("li", "contact");
    item.append(el("span", "contact__label", c.label + ": "));
    const href = safeHref(c.href);
    if (href) {
      const a = el("a", "contact__value", c.value);
      a.href = href;
      item.append(a);
    } else {
      item.append(el("span", "contact__value", c.value));
    }
    const hours = [];
    if (c.hours_today) {
      // Hours are "10:00-22:00"; without digits they are the "closed today" words.
      hours.push(/\d/.test(c.hours_today) ? t.today + " " + c.hours_today : c.hours_today);
    }
    if (c.open_now === true) {
      hours.push(t.open_now);
    } else if (c.open_now === false && c.hours_today && /\d/.test(c.hours_today)) {
      hours.push(t.closed_now);
    }
    if (hours.length) {
      item.append(el("span", "contact__hours", " (" + hours.join(", ") + ")"));
    }
    return item;
  }

  function entryNode(entry) {
    const item = el("div", "msg msg--" + (entry.role === "user" ? "user" : "bot"));
    item.append(el("p", "msg__who", entry.role === "user" ? t.you : t.bot));
    item.append(entry.card ? card(entry.card) : textParagraph(entry.text));
    return item;
  }

  function showEntries(entries) {
    const nodes = entries.map(entryNode);
    log.append(...nodes);
    return nodes;
  }

  function showReplies(buttons) {
    replies.replaceChildren();
    buttons.forEach((b) => {
      const button = el("button", "quick-reply", b.title);
      button.type = "button";
      button.addEventListener("click", () => choose(b));
      replies.append(button);
    });
    replies.hidden = buttons.length === 0;
  }

  // --- The assistant's messages ------------------------------------------------------------

  function isCard(message) {
    return Boolean(message && message.custom && message.custom.type === CARD_TYPE);
  }

  // A card comes as two messages: plain text (for text-only channels) and the card, whose
  // payload repeats that text. Show the card, not the text twice.
  function isCardText(messages, i) {
    const text = messages[i].text;
    return [messages[i - 1], messages[i + 1]].some((m) => isCard(m) && m.custom.text === text);
  }

  function entriesFrom(messages) {
    const entries = [];
    messages.forEach((m, i) => {
      if (isCard(m)) {
        entries.push({ role: "bot", card: m.custom });
      } else if (typeof m.text === "string" && m.text && !isCardText(messages, i)) {
        entries.push({ role: "bot", text: m.text });
      }
      // Other payloads and images are not shown: only cards have a known shape.
    });
    return entries;
  }

  function buttonsFrom(messages) {
    const seen = new Set();
    const buttons = [];
    messages.forEach((m) => {
      (Array.isArray(m.buttons) ? m.buttons : []).forEach((b) => {
        if (b && b.title && typeof b.payload === "string" && !seen.has(b.payload)) {
          seen.add(b.payload);
          buttons.push({ title: String(b.title), payload: b.payload });
        }
      });
    });
    return buttons;
  }

  // --- Talking to the server ---------------------------------------------------------------

  class SendError extends Error {
    constructor(status) {
      super("chat/send answered " + status);
      this.status = status;
    }
  }

  async function post(message) {
    let response;
    try {
      response = await fetch("/chat/send", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: state.sender, message: message, lang: lang }),
      });
    } catch (e) {
      throw new SendError(0); // no network, or the web app is down
    }
    if (!response.ok) {
      throw new SendError(response.status);
    }
    const messages = await response.json();
    return Array.isArray(messages) ? messages : [];
  }

  // One turn: `shown` is what goes in the transcript as the resident's words (null for the
  // page's own messages such as /session_start). Returns true if the assistant answered.
  async function turn(message, shown) {
    busy = true;
    status.textContent = t.waiting;
    log.setAttribute("aria-busy", "true");
    const pending = shown === null ? [] : showEntries([{ role: "user", text: shown }]);
    try {
      const messages = await post(message);
      const entries = entriesFrom(messages);
      if (shown !== null) {
        state.entries.push({ role: "user", text: shown });
      }
      state.entries.push(...entries);
      state.replies = buttonsFrom(messages);
      save();
      error.textContent = "";
      const nodes = showEntries(entries);
      showReplies(state.replies);
      if (nodes.length) {
        nodes[0].scrollIntoView({ block: "nearest" });
      }
      return true;
    } catch (e) {
      pending.forEach((node) => node.remove());
      const tooLong = e.status === 413 || e.status === 422;
      error.textContent = tooLong ? t.too_long : t.unavailable;
      return false;
    } finally {
      busy = false;
      status.textContent = "";
      log.removeAttribute("aria-busy");
      // A count of finished turns, for the browser tests to wait on.
      root.dataset.turns = String(Number(root.dataset.turns || 0) + 1);
    }
  }

  // The conversation's language follows the page: a new conversation opens in it, and a
  // switch mid-conversation (a link that reloads the page) tells the assistant.
  async function openOrSwitch() {
    if (!state.opened) {
      state.lang = lang;
      state.opened = await turn("/session_start", null);
    } else if (state.lang !== lang) {
      if (await turn('/change_language{"language":"' + lang + '"}', null)) {
        state.lang = lang;
        save();
      }
    }
    save();
  }

  async function sendTyped() {
    const text = input.value;
    if (busy || !text.trim()) {
      return;
    }
    await openOrSwitch();
    // The text stays in the box until the assistant has it, so nothing typed is lost.
    if ((await turn(text, text)) && input.value === text) {
      input.value = "";
    }
  }

  async function choose(button) {
    if (busy) {
      return;
    }
    await openOrSwitch();
    if (await turn(button.payload, button.title)) {
      // The pressed button is gone: go on to the next question's options, else the box.
      const next = replies.querySelector("button");
      (next || input).focus();
    }
  }

  function clearConversation() {
    if (busy || !window.confirm(t.clear_confirm)) {
      return;
    }
    try {
      window.sessionStorage.removeItem(STORE_KEY);
    } catch (e) {
      // nothing stored
    }
    state = fresh();
    log.replaceChildren();
    showReplies([]);
    error.textContent = "";
    input.value = "";
    input.focus();
    openOrSwitch().then(() => {
      if (!busy) {
        status.textContent = t.cleared;
      }
    });
  }

  // --- Wiring ------------------------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendTyped();
  });

  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter is a new line; not while an input method is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendTyped();
    }
  });

  clearButton.addEventListener("click", clearConversation);

  // The kept transcript goes in before the chat is shown, so screen readers do not read it
  // out again as new messages.
  showEntries(state.entries);
  showReplies(state.replies || []);
  root.hidden = false;
  openOrSwitch();
})();

// Putting an admin list in order (guidance/admin.py, OrderAdminMixin; README.md, "Editing").
//
// Without JavaScript, "Move up" and "Move down" are buttons of a form (#order-form) posting to the
// order view, which moves the row and shows the list again with a message. Here the same buttons
// post in the background and the row moves in place, focus staying on the button pressed; and a
// row can be dragged by its handle (SortableJS, static/dist/Sortable.min.js), the new order of
// the whole list posted to the same view. The status line says where the row now is ("3rd of 12
// in Level 2, Health"); a move the server refuses is put back and its reason shown.

(function () {
  "use strict";

  const form = document.getElementById("order-form");
  const table = document.getElementById("result_list");
  const status = document.getElementById("order-status");
  if (!form || !table || !table.tBodies.length || !status) {
    return;
  }
  const body = table.tBodies[0];
  const FAILED = "Nothing was moved: the server did not answer. Reload the page and try again.";

  const rows = () => Array.from(body.rows);
  const idOf = (row) => row.querySelector("[data-order-id]")?.dataset.orderId;
  const currentOrder = () => rows().map(idOf);

  function arrange(ids) {
    const byId = new Map(rows().map((row) => [idOf(row), row]));
    for (const id of ids) {
      const row = byId.get(id);
      if (row) {
        body.appendChild(row);
      }
    }
    rows().forEach((row, index) => {
      // Django's alternate row shading.
      row.classList.toggle("row1", index % 2 === 0);
      row.classList.toggle("row2", index % 2 === 1);
    });
  }

  function say(text, refused) {
    status.textContent = text;
    status.classList.toggle("order-refused", Boolean(refused));
  }

  async function send(fields) {
    const data = new FormData(form);
    for (const [name, value] of fields) {
      data.append(name, value);
    }
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      let answer = null;
      try {
        answer = await response.json();
      } catch {
        // Not the order view's answer: signed out, refused (403) or a server error.
        if (response.redirected) {
          return { error: "Nothing was moved: you are signed out. Reload the page to sign in." };
        }
        return {
          error: `Nothing was moved (the server answered ${response.status}). Reload the page and try again.`,
        };
      }
      return answer && (answer.error || answer.message) ? answer : { error: FAILED };
    } catch {
      return { error: FAILED };
    }
  }

  let busy = false;

  form.addEventListener("submit", async (event) => {
    const button = event.submitter;
    if (!button || button.name !== "move") {
      return;
    }
    event.preventDefault();
    if (busy) {
      return;
    }
    busy = true;
    const answer = await send([["move", button.value]]);
    busy = false;
    if (answer.error) {
      say(answer.error, true);
    } else {
      arrange(answer.order);
      say(answer.message, false);
    }
    button.focus(); // the row moved with its buttons; keep the keyboard where it was
  });

  const hint = document.querySelector(".order-hint[data-with-script]");
  if (!window.Sortable) {
    return; // the buttons still work
  }
  if (hint) {
    hint.textContent = hint.dataset.withScript;
  }
  document.documentElement.classList.add("order-dragging-on");

  let before = null;
  window.Sortable.create(body, {
    draggable: "tr",
    handle: ".order-handle",
    animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 150,
    // Mouse and touch events rather than the browser's drag and drop: the same on every browser.
    forceFallback: true,
    onStart() {
      before = currentOrder();
    },
    async onEnd(event) {
      if (event.oldIndex === event.newIndex || busy) {
        if (busy && before) {
          arrange(before);
        }
        return;
      }
      busy = true;
      const order = currentOrder();
      const answer = await send([...order.map((id) => ["order", id]), ["moved", idOf(event.item)]]);
      busy = false;
      if (answer.error) {
        arrange(before);
        say(answer.error, true);
      } else {
        arrange(answer.order);
        say(answer.message, false);
      }
    },
  });
})();

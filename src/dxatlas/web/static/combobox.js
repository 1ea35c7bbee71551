/* dxatlas: an accessible autocomplete combobox over GET /api/v1/autocomplete.
 *
 * Any <input data-autocomplete="KIND"> becomes a combobox (the WAI-ARIA 1.2 pattern with a
 * grouped list box): typing asks the server for suggestions, Down/Up move through them, Enter
 * picks the highlighted one (with none highlighted the form submits as usual), Escape closes the
 * list (or, when it is closed, clears the box), and a click picks too.
 *
 * data-pick says what picking does: "navigate" (the default) opens the suggestion's page;
 * "chip" adds the finding to the symptom checker's chips (a <template id="chip-template"> gives
 * the markup) so the next submit ranks with it. Without this script the inputs are plain text
 * fields and their forms work unchanged.
 */
(function () {
  "use strict";

  var DELAY_MS = 120;
  var LIMIT = 6;
  var counter = 0;

  function setup(input) {
    counter += 1;
    var kind = input.getAttribute("data-autocomplete") || "all";
    var pick = input.getAttribute("data-pick") || "navigate";
    var listId = (input.id || "combo-" + counter) + "-list";
    var list = document.createElement("div");
    list.id = listId;
    list.className = "combo-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var parent = input.parentNode;
    parent.classList.add("combo");
    parent.appendChild(list);
    parent.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var pending = null;
    var options = [];
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(answer) {
      list.textContent = "";
      options = [];
      answer.groups.forEach(function (group) {
        if (!group.items.length) {
          return;
        }
        var box = document.createElement("div");
        box.setAttribute("role", "group");
        var heading = document.createElement("div");
        heading.className = "combo-group";
        heading.id = listId + "-" + group.kind;
        heading.setAttribute("role", "presentation");
        heading.textContent = group.label;
        box.setAttribute("aria-labelledby", heading.id);
        box.appendChild(heading);
        group.items.forEach(function (item) {
          var option = document.createElement("div");
          option.id = listId + "-" + options.length;
          option.className = "combo-option";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.setAttribute("data-id", item.id);
          option.setAttribute("data-name", item.name);
          option.setAttribute("data-url", item.url);
          option.setAttribute("data-kind", group.kind);
          var name = document.createElement("span");
          name.textContent = item.name;
          option.appendChild(name);
          if (item.matched && item.matched.toLowerCase() !== item.name.toLowerCase()) {
            var matched = document.createElement("span");
            matched.className = "combo-matched";
            matched.textContent = "“" + item.matched + "”";
            option.appendChild(document.createTextNode(" "));
            option.appendChild(matched);
          }
          var id = document.createElement("span");
          id.className = "id";
          id.textContent = item.id;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(id);
          option.addEventListener("mousedown", function (event) {
            event.preventDefault(); // keep the focus in the input
          });
          option.addEventListener("click", function () {
            choose(option);
          });
          options.push(option);
          box.appendChild(option);
        });
        list.appendChild(box);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = options.length + (options.length === 1 ? " suggestion" : " suggestions");
      } else {
        close();
        status.textContent = input.value.trim().length >= 2 ? "No suggestions" : "";
      }
    }

    function ask() {
      var query = input.value.trim();
      if (pending) {
        pending.abort();
        pending = null;
      }
      if (query.length < 2) {
        close();
        return;
      }
      var controller = new AbortController();
      pending = controller;
      var url = "/api/v1/autocomplete?q=" + encodeURIComponent(query) + "&kind=" +
        encodeURIComponent(kind) + "&limit=" + LIMIT;
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && pending === controller && input.value.trim() === query) {
            render(answer);
          }
        })
        .catch(function () {
          /* aborted or offline: the form still works without suggestions */
        });
    }

    function choose(option) {
      var id = option.getAttribute("data-id");
      var name = option.getAttribute("data-name");
      close();
      if (pick === "chip" && addChip(input.form, id, name)) {
        input.value = "";
        status.textContent = "Added " + name;
        input.focus();
        return;
      }
      window.location.assign(option.getAttribute("data-url"));
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          ask();
          return;
        }
        highlight(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (open) {
          event.preventDefault();
          highlight(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          choose(options[active]);
        } else {
          close();
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      close();
    });
  }

  /* Add a present-finding chip to the checker form (the server renders the same markup). */
  function addChip(form, id, label) {
    var template = document.getElementById("chip-template");
    var chips = document.getElementById("chips");
    if (!form || !template || !chips) {
      return false;
    }
    var taken = chips.querySelector('input[type="hidden"][value="' + CSS.escape(id) + '"]');
    if (taken) {
      return true;
    }
    var chip = template.content.firstElementChild.cloneNode(true);
    chip.setAttribute("data-id", id);
    chip.querySelector('input[type="hidden"]').value = id;
    chip.querySelector(".chip-label").textContent = label;
    var remove = chip.querySelector(".chip-remove");
    remove.value = id;
    remove.setAttribute("aria-label", "Remove " + label);
    remove.type = "button";
    remove.addEventListener("click", function () {
      chip.remove();
    });
    chips.appendChild(chip);
    chips.hidden = false;
    var empty = document.getElementById("no-chips");
    if (empty) {
      empty.hidden = true;
    }
    return true;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-autocomplete]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

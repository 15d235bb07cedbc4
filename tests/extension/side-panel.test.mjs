// Tests extension/content/side-panel.js on the fixture pages: MAX goes in Gmail's side panel when
// there is one (its panel first in the content container, its chip after the rail's separator),
// takes turns with Gmail's companions, falls back to a column beside the thread (the rail hidden
// or absent), and leaves nothing behind. Where boxes land on screen is the e2e's to check.
import test from 'node:test';
import assert from 'node:assert/strict';
import { fixture, installDom, loadScripts, withSidePanel } from './jsdom-env.mjs';

installDom();
const { sidePanel, gmailDom } = await loadScripts('lib/gmail-dom.js', 'content/side-panel.js');
const { CLASS } = sidePanel;

function page(html) {
  const { window } = installDom(html);
  const doc = window.document;
  const host = (kind) => {
    const el = doc.createElement('div');
    el.dataset.max = kind;
    return el;
  };
  return { window, doc, panel: host('sidebar'), chip: host('chip') };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const threadOf = (doc) => ({
  threadView: gmailDom.find(doc, 'threadView'),
  heading: gmailDom.find(doc, 'threadHeading'),
});

test("in Gmail's side panel: the panel leads the content container, the chip follows the separator", () => {
  const { doc, panel, chip } = page(withSidePanel(fixture('thread-trap-en.html')));
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail() {} });
  assert.equal(placed.name, 'side-panel');
  assert.equal(doc.querySelector('.brC-brG').firstElementChild, panel);
  assert.equal(doc.querySelector('[role=separator]').nextElementSibling, chip);
  assert.equal(doc.querySelector('.a98.iY').classList.contains(CLASS.column), false, 'the thread is left alone');
  assert.equal(placed.isIntact(), true);
});

test('open shows the wrapper Gmail hides; folded hides it again; the chip stays', () => {
  const { doc, panel, chip, window } = page(withSidePanel(fixture('thread-trap-en.html')));
  let resized = 0;
  window.addEventListener('resize', () => resized++);
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail() {} });
  const wrapper = doc.querySelector('.WN9Ejb');
  placed.setOpen(true);
  assert.ok(wrapper.classList.contains(CLASS.wrapperOpen));
  assert.ok(doc.querySelector('.brC-brG').classList.contains(CLASS.contentOpen));
  assert.equal(panel.hidden, false);
  placed.setOpen(false);
  assert.equal(wrapper.classList.contains(CLASS.wrapperOpen), false);
  assert.equal(panel.hidden, true);
  assert.ok(chip.isConnected);
  assert.equal(resized, 2, 'Gmail lays its columns out again (InboxSDK fakes a resize too)');
});

test('opening MAX closes the companion Gmail had open (a click on its icon), as InboxSDK does', async () => {
  const { doc, panel, chip } = page(withSidePanel(fixture('thread-trap-en.html')));
  const calendar = doc.querySelector('#fixture-calendar');
  calendar.classList.add('aT5-aOt-I-KO');
  const clicks = [];
  calendar.addEventListener('click', (e) => clicks.push(e.type));
  let closedByGmail = 0;
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail: () => closedByGmail++ });
  placed.setOpen(true);
  assert.deepEqual(clicks, ['click']);
  await settle(); // Gmail has not removed the mark yet: MAX's own doing, MAX stays
  assert.equal(closedByGmail, 0, "MAX's own click on Gmail's icon does not close MAX");
  calendar.classList.remove('aT5-aOt-I-KO'); // Gmail closes Calendar
  await settle();
  calendar.classList.add('aT5-aOt-I-KO'); // …and the person opens it again, over MAX
  await settle();
  assert.equal(closedByGmail, 1, 'a companion Gmail opens closes MAX');
});

test('a companion opened while MAX is folded changes nothing; hiding the side panel does not fold MAX', async () => {
  const { doc, panel, chip } = page(withSidePanel(fixture('thread-trap-en.html')));
  let closedByGmail = 0;
  let moved = 0;
  const placed = sidePanel.place(doc, {
    panel,
    chip,
    ...threadOf(doc),
    onClosedByGmail: () => closedByGmail++,
    onMoved: () => moved++,
  });
  placed.setOpen(false);
  doc.querySelector('#fixture-calendar').classList.add('aT5-aOt-I-KO');
  await settle();
  assert.equal(closedByGmail, 0);
  placed.setOpen(true); // closes Calendar first
  doc.querySelector('#fixture-calendar').classList.remove('aT5-aOt-I-KO');
  doc.querySelector('.brC-aT5-aOt-Jw').style.display = 'none';
  await settle();
  assert.deepEqual([closedByGmail, moved], [0, 1]);
});

test('the rail hidden (the person hid the side panel): a column beside the thread instead', () => {
  const html = withSidePanel(fixture('thread-trap-en.html')).replace(
    'aria-label="Side panel" style="width: 56px; flex: none"',
    'aria-label="Side panel" style="display: none;"',
  );
  const { doc, panel, chip } = page(html);
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail() {} });
  assert.equal(placed.name, 'column');
  const view = doc.querySelector('.a98.iY');
  assert.ok(view.classList.contains(CLASS.column));
  assert.equal(view.lastElementChild.dataset.max, 'column');
  assert.deepEqual([...view.lastElementChild.children], [chip, panel]);
  placed.setOpen(false);
  assert.ok(view.classList.contains(CLASS.columnClosed), 'folded: only a narrow column for the chip');
});

test('no side panel at all (an older layout): the column; no thread view either: in the flow', () => {
  const { doc, panel, chip } = page(fixture('thread-trap-fr.html'));
  assert.equal(sidePanel.place(doc, { panel, chip, ...threadOf(doc) }).name, 'column');
  const bare = page(
    '<div class="ha"><h2 class="hP" data-legacy-thread-id="18f3a0c2b1d4e5f6">S</h2></div><div role="list"></div>',
  );
  const placed = sidePanel.place(bare.doc, { panel: bare.panel, chip: bare.chip, ...threadOf(bare.doc) });
  assert.equal(placed.name, 'band');
  assert.equal(bare.doc.querySelector('.ha').nextElementSibling.dataset.max, 'band');
  assert.equal(sidePanel.place(page('<p>inbox</p>').doc, { panel, chip }), null, 'no thread, no place');
});

test('a side panel Gmail draws later takes MAX from the column', () => {
  const { doc, panel, chip } = page(fixture('thread-trap-en.html'));
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc) });
  assert.equal(placed.isIntact(), true);
  doc.querySelector('.no').insertAdjacentHTML('beforeend', fixture('side-panel.html')); // Gmail's, not MAX's
  assert.equal(placed.isIntact(), false);
});

for (const html of [withSidePanel(fixture('thread-trap-en.html')), fixture('thread-trap-en.html')]) {
  test(`removed, nothing of MAX is left (${html.includes('aUx') ? 'side panel' : 'column'})`, () => {
    const { doc, panel, chip } = page(html);
    const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail() {} });
    placed.setOpen(true);
    placed.remove();
    assert.equal(doc.querySelector('[data-max]'), null);
    assert.equal(
      doc.querySelector(
        Object.values(CLASS)
          .map((c) => `.${c}`)
          .join(', '),
      ),
      null,
    );
  });
}

test('the person hides the side panel: MAX hears its place is gone', async () => {
  const { doc, panel, chip } = page(withSidePanel(fixture('thread-trap-en.html')));
  let moved = 0;
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onMoved: () => moved++ });
  doc.querySelector('.brC-aT5-aOt-Jw').style.display = 'none';
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(moved, 1);
  assert.equal(placed.isIntact(), false);
});

// An InboxSDK app (Streak) in the same panel, as InboxSDK draws its thread icon and marks its open
// panel (views/gmail-app-sidebar-view/primary/index.tsx L380-398, L659-680, L1110-1121).
function withStreak(doc, open) {
  const area = doc.createElement('div');
  area.className = 'sidebar_thread_iconArea';
  const container = doc.createElement('div');
  container.dataset.appName = 'Streak';
  if (open) container.classList.add('sidebar_button_container_active');
  const button = doc.createElement('button');
  button.className = 'inboxsdk__button_icon';
  button.type = 'button';
  container.append(button);
  area.append(container);
  doc.querySelector('[role=separator]').after(area);
  const content = doc.querySelector('.brC-brG');
  const panel = doc.createElement('div');
  panel.className = 'addon_sidebar global_app_sidebar';
  content.prepend(panel);
  // InboxSDK's click handler: its open panel closes.
  button.addEventListener('click', () => {
    container.classList.remove('sidebar_button_container_active');
    content.classList.remove('companion_app_sidebar_visible');
  });
  if (open) content.classList.add('companion_app_sidebar_visible');
  return { content, container };
}

test("opening MAX closes an InboxSDK app's open panel; that app opening closes MAX", async () => {
  const { doc, panel, chip } = page(withSidePanel(fixture('thread-trap-en.html')));
  const streak = withStreak(doc, true);
  let closedByGmail = 0;
  const placed = sidePanel.place(doc, { panel, chip, ...threadOf(doc), onClosedByGmail: () => closedByGmail++ });
  placed.setOpen(true);
  assert.equal(streak.content.classList.contains('companion_app_sidebar_visible'), false, 'Streak closed');
  await settle();
  assert.equal(closedByGmail, 0);
  streak.content.classList.add('companion_app_sidebar_visible'); // the person opens Streak
  await settle();
  assert.equal(closedByGmail, 1);
});

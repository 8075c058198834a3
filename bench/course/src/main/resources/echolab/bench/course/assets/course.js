// echo-lab course: the diff control of the side-by-side page. Everything it shows is already in the page;
// a pair's code is highlighted when it is first shown.
document.addEventListener('DOMContentLoaded', function () {
  var a = document.getElementById('diff-a');
  var b = document.getElementById('diff-b');
  var show = document.getElementById('diff-show');
  var hide = document.getElementById('diff-hide');
  var panel = document.getElementById('diff');
  if (!a || !b || !show || !panel) {
    return;
  }
  // A pair's code is highlighted the first time it is shown, not at load.
  function highlight(pair) {
    var blocks = pair.querySelectorAll('code[data-highlight]');
    for (var i = 0; i < blocks.length; i++) {
      blocks[i].className = 'language-' + blocks[i].dataset.highlight;
      blocks[i].removeAttribute('data-highlight');
      if (window.Prism) {
        Prism.highlightElement(blocks[i]);
      }
    }
  }
  function render() {
    var pairs = panel.querySelectorAll('.diff-pair');
    for (var i = 0; i < pairs.length; i++) {
      pairs[i].hidden = !(pairs[i].dataset.a === a.value && pairs[i].dataset.b === b.value);
      if (!pairs[i].hidden) {
        highlight(pairs[i]);
      }
    }
    var same = panel.querySelector('.diff-same');
    if (a.value === b.value) {
      if (!same) {
        same = document.createElement('p');
        same.className = 'diff-same';
        panel.appendChild(same);
      }
      same.textContent = 'Choose two different servers.';
      same.hidden = false;
    } else if (same) {
      same.hidden = true;
    }
  }
  show.addEventListener('click', function () {
    render();
    panel.hidden = false;
    hide.hidden = false;
    panel.scrollIntoView({block: 'start'});
  });
  hide.addEventListener('click', function () {
    panel.hidden = true;
    hide.hidden = true;
  });
  a.addEventListener('change', function () { if (!panel.hidden) { render(); } });
  b.addEventListener('change', function () { if (!panel.hidden) { render(); } });
});

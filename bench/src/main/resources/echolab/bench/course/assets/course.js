// echo-lab course: the diff control of the side-by-side page. Everything it shows is already in the page.
document.addEventListener('DOMContentLoaded', function () {
  var a = document.getElementById('diff-a');
  var b = document.getElementById('diff-b');
  var show = document.getElementById('diff-show');
  var hide = document.getElementById('diff-hide');
  var panel = document.getElementById('diff');
  if (!a || !b || !show || !panel) {
    return;
  }
  function render() {
    var pairs = panel.querySelectorAll('.diff-pair');
    for (var i = 0; i < pairs.length; i++) {
      pairs[i].hidden = !(pairs[i].dataset.a === a.value && pairs[i].dataset.b === b.value);
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

"""Kernel-free softmax control for the static page: three class scores and a true class give
the softmax probabilities, the cross-entropy loss and each score's sigmoid."""

from __future__ import annotations

from .. import learning


SOFTMAX_JS = """function cnnSoftmax(z){var m=Math.max.apply(null,z),e=z.map(function(v){return Math.exp(v-m);}),
t=e.reduce(function(a,b){return a+b;},0);return e.map(function(v){return v/t;});}
function cnnSigmoid(z){return 1/(1+Math.exp(-z));}"""

_SOFTMAX_PAGE = """<script>
(function(){
%(fn)s
var root=document.getElementById(%(id)s); if(!root) return;
function update(){
  var z=[0,1,2].map(function(i){return parseFloat(root.querySelector('[name=z'+i+']').value)||0;});
  var y=parseInt(root.querySelector('[name=y]').value,10)||0, p=cnnSoftmax(z);
  root.querySelector('.out').textContent='softmax: '+p.map(function(v){return v.toFixed(3);}).join(', ')+
   ' (sum 1) · cross-entropy for class '+y+': '+(-Math.log(p[y])).toFixed(3)+
   ' · sigmoid of each score alone: '+z.map(function(v){return cnnSigmoid(v).toFixed(3);}).join(', ');
}
root.querySelectorAll('input,select').forEach(function(e){e.addEventListener('input',update);});
update();
})();
</script>"""


def softmax_text(z, y: int) -> str:
    """The line the page's JavaScript writes for scores ``z`` and true class ``y``."""
    p = learning.softmax(z)
    return ("softmax: " + ", ".join(f"{v:.3f}" for v in p) + f" (sum 1) · cross-entropy for class {y}: "
            f"{learning.cross_entropy(p, y):.3f} · sigmoid of each score alone: "
            + ", ".join(f"{v:.3f}" for v in learning.sigmoid(z)))


def softmax_html(z=(2.0, 1.0, -1.0), y=0, uid="cnn-softmax"):
    """Kernel-free control: three class scores and a true class → softmax probabilities,
    cross-entropy loss and, for contrast, the sigmoid of each score on its own."""
    import json

    from IPython.display import HTML

    fields = "".join(f'<label>score {i} <input type="number" step="0.5" name="z{i}" value="{v}" '
                     f'aria-label="score of class {i}" style="width:5em"></label> ' for i, v in enumerate(z))
    opts = "".join(f'<option value="{i}"{" selected" if i == y else ""}>{i}</option>' for i in range(3))
    body = (f'<div id="{uid}" style="font-family:ui-monospace,monospace"><form onsubmit="return false">'
            f'{fields}<label>true class <select name="y" aria-label="true class">{opts}</select></label>'
            f'</form><p class="out" aria-live="polite">{softmax_text(z, y)}</p></div>')
    return HTML(body + _SOFTMAX_PAGE % {"fn": SOFTMAX_JS, "id": json.dumps(uid)})

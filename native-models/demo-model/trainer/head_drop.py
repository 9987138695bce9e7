"""Head dropout at reply positions (train.py --drop-heads): the listed heads' outputs are zeroed
where a chosen row predicts its replies, so that other heads must carry the copy there.

Session 22 found that the shipped model's replies copy mostly through its first copy head (layer
1 head 0: its direct effect on the value's logit is ten times that of heads 2:0 and 3:0), which
reads only layer-0 features and so cannot tell apart two values whose keys differ after them (a
value-first fact) or a few tokens before them (a table twin), while the later copy heads, which
often attend to the right value, write too weakly to change the answer.
"""

import torch


def reply_gates(amask, share, gen):
    """[n, S] float: 0 at the answer positions (amask) of about share of the rows, 1 elsewhere."""
    n = amask.shape[0]
    rows = torch.rand(n, generator=gen) < share
    return 1.0 - (amask & rows[:, None]).float()


class HeadDrop:
    """Multiplies heads' outputs (before o_proj) by the current gate [n, S]; gate None: no change."""

    def __init__(self, model, heads):
        self.gate = None
        self.d = model.config["head_dim"]
        self.handles = []
        by_layer = {}
        for layer, head in heads:
            by_layer.setdefault(layer, []).append(head)
        for layer, hs in by_layer.items():
            self.handles.append(model.model.layers[layer].self_attn.o_proj.register_forward_pre_hook(self._hook(hs)))

    def remove(self):
        """Takes the hooks off the model."""
        for h in self.handles:
            h.remove()
        self.handles = []

    def _hook(self, hs):
        def pre(_module, args):
            if self.gate is None:
                return None
            x = args[0].clone()
            for h in hs:
                sl = slice(h * self.d, (h + 1) * self.d)
                x[..., sl] = x[..., sl] * self.gate[..., None].to(x.dtype)
            return (x,)

        return pre

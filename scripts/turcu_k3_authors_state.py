# Beside the Turcu `trained-n100` claim (issue #19): export the initial state of the
# authors' Regular SRNN (BPTT/Regular/srnn_helpers.py of github.com/DenisTurcu/SparseRNN,
# not vendored here: fetch it, delete its plotting imports and put its folder on
# PYTHONPATH) at N = 100, α = 0.5, density f, Adam lr 0.15, random J — the setting of
# scripts/turcu_kmin_authors.py — so that `examples/turcu_authors_state.rs` can load it into
# our network and compare number for number. Needs torch and the authors' file:
#   PYTHONPATH=/path/to/their/Regular python scripts/turcu_k3_authors_state.py SEED F EPOCHS OUT.json [IN.json]
# With IN.json (`cargo run --example turcu_authors_state -- export …`: our claim's network and
# patterns in this layout) their SRNN's mask, J, read neurons, patterns and labels are
# replaced by those before the probe and their own train() — their training on our state.
# Writes OUT.json (float64 throughout):
#   n, p, f, seed, dt, g, targets (2 × 20), mask (row-major [post, pre] pairs of the mask's
#   entries), j0 (J at those entries, masked), readout (indices of the read neurons),
#   patterns (N × P), labels (±1, P), x_init, w_in (19 steps);
#   probe: one forward/backward of their train() from that state before any update:
#     readout (20 × P, step 0 = f(x_init)), loss (their hinge summed over the 20 steps,
#     without the constant readout L1 term), grad_norm (‖∂loss/∂J‖ over the mask), grad
#     (∂loss/∂J at the mask's entries);
#   epochs: per epoch of their own train(): loss (without the L1 term), accuracy (%) at
#     each of the 20 steps with their percentile threshold (before that epoch's update),
#     and J at the mask's entries before the update (`j`).
import sys, json, time, numpy as np, torch
from srnn_helpers import SRNN, tanh_shifted_and_scaled2one, loss_ReLU_on_targets

seed = int(sys.argv[1]); f = float(sys.argv[2]); epochs = int(sys.argv[3]); out_path = sys.argv[4]
in_path = sys.argv[5] if len(sys.argv) > 5 else None
np.random.seed(seed); torch.manual_seed(seed)
targets = np.ones([2, 20]); targets[0, :] = 0.6 * f; targets[1, :] = 0.4 * f
net = SRNN(computing_mode='CPU', N=100, connections_denseness=f, alpha=0.5, targets=targets, P=None,
           readout_requires_grad=False, learning_rate=0.15,
           firing_rate_function=(lambda x: tanh_shifted_and_scaled2one(x, -0.5)),
           loss_function=loss_ReLU_on_targets, E_to_I_neurons_ratio=None, initialization_type_for_J='random',
           N_epochs=epochs, dt=0.1, ON_time=10, total_time_multiple=5, sparse_readout_mask='yes',
           store_history=['losses', 'accuracy_history', 'J_history'], verbose=False)

if in_path is not None:
    given = json.load(open(in_path))
    assert given["n"] == net.N and given["p"] == net.P, "N and P must match their constructor's"
    m = np.zeros([net.N, net.N]); jd = np.zeros([net.N, net.N])
    for (i, j), v in zip(given["mask"], given["j0"]):
        m[i, j] = 1.0; jd[i, j] = v
    net.mask = torch.tensor(m)
    net.J = torch.tensor(jd).requires_grad_(True)
    mo = np.zeros([1, net.N]); mo[0, given["readout"]] = 1.0
    net.mask_out = torch.tensor(mo)
    net.patterns = torch.tensor(np.asarray(given["patterns"], dtype=float))
    net.labels = np.asarray([given["labels"]], dtype=int)
    net.ids_positive_label = np.where(net.labels == 1)[1]
    net.ids_negative_label = np.where(net.labels == -1)[1]

mask = net.mask.numpy()
rows, cols = np.nonzero(mask)  # row-major, columns ascending within a row
j0 = (net.J * net.mask).detach().numpy()

# One forward + backward exactly as their train() does at epoch 0.
P = net.P
rates_all = torch.zeros(net.N_time_steps, P, net.N, dtype=torch.float64)
J_actual = net.J * net.mask
for pi in range(P):
    x = net.x_init; rates = net.activation(x); rates_all[0, pi] = rates
    for ti in range(1, net.N_time_steps):
        x = x + net.dt * (-x + J_actual @ rates + net.W_in[ti - 1] * net.patterns[:, pi])
        rates = net.activation(x); rates_all[ti, pi] = rates
W = net.compute_actual_W_out()
ro = torch.matmul(rates_all, W.T).squeeze() / net.N
loss = net.loss_function(activity=ro, target_dynamics=net.targets, thresholds=net.classification_thresh,
                         ids_plus=net.ids_positive_label, ids_minus=net.ids_negative_label)
loss.backward()
grad = net.J.grad.detach().numpy()
probe = {"readout": ro.detach().numpy().tolist(), "loss": float(loss),
         "grad_norm": float(np.sqrt((grad[rows, cols] ** 2).sum())),
         "grad": grad[rows, cols].tolist()}
net.J.grad = None  # their optimizer must start from a clean gradient

reg = net.readout_regularization * float(torch.sum(torch.abs(net.W_out)))  # constant L1 term
t0 = time.time()
if epochs > 0:  # EPOCHS = 0: export the state and the probe only
    net.train()
hist_j = net.J_history
state = {
    "n": net.N, "p": int(P), "f": f, "seed": seed, "dt": net.dt, "g": float(net.g), "state_from": in_path or "their constructor",
    "targets": targets.tolist(),
    "mask": np.stack([rows, cols], 1).tolist(),
    "j0": j0[rows, cols].tolist(),
    "readout": np.nonzero(net.mask_out.numpy()[0])[0].tolist(),
    "patterns": net.patterns.numpy().tolist(),
    "labels": net.labels[0].tolist(),
    "x_init": net.x_init.numpy().tolist(),
    "w_in": net.W_in.numpy().tolist(),
    "probe": probe,
    "seconds": time.time() - t0,
    "epochs": [{"loss": float(net.losses[e]) - reg,
                "accuracy": np.asarray(net.accuracy_history[e], dtype=float).tolist(),
                "j": hist_j[e][rows, cols].tolist()} for e in range(epochs)],
}
with open(out_path, "w") as fh:
    json.dump(state, fh)
print("wrote", out_path, "P", P, "nnz", len(rows), "probe loss", probe["loss"], "grad norm", probe["grad_norm"],
      "last accuracy", state["epochs"][-1]["accuracy"][-1], flush=True)

# Beside the Turcu `trained-n100` claim: the authors' Regular SRNN (BPTT/Regular/
# srnn_helpers.py of github.com/DenisTurcu/SparseRNN, not vendored here: fetch it and delete
# its plotting imports) at N = 100, α = 0.5 and density f = K/N, trained the way their
# example trains (Adam lr 0.15, random J, 100 epochs), with the targets of their example
# scaled to the fN read neurons (0.6 f / 0.4 f; 0.03 / 0.02 at f = 0.05). Needs torch:
#   python scripts/turcu_kmin_authors.py SEED F [EPOCHS=100] > authors_SEED_F.txt
# The last line is JSON: the accuracy (%) per epoch and time step, and at the end.
import sys, json, time, numpy as np, torch
from srnn_helpers import SRNN, tanh_shifted_and_scaled2one, loss_ReLU_on_targets
seed = int(sys.argv[1]); f = float(sys.argv[2]); epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 100
np.random.seed(seed); torch.manual_seed(seed)
targets = np.ones([2, 20]); targets[0, :] = 0.6 * f; targets[1, :] = 0.4 * f
t0 = time.time()
net = SRNN(computing_mode='CPU', N=100, connections_denseness=f, alpha=0.5, targets=targets, P=None,
           readout_requires_grad=False, learning_rate=0.15,
           firing_rate_function=(lambda x: tanh_shifted_and_scaled2one(x, -0.5)),
           loss_function=loss_ReLU_on_targets, E_to_I_neurons_ratio=None, initialization_type_for_J='random',
           N_epochs=epochs, dt=0.1, ON_time=10, total_time_multiple=5, sparse_readout_mask='yes',
           store_history=['accuracy_history'], verbose=False)
net.train()
out = {"seed": seed, "f": f, "K": f * 100, "epochs": epochs, "P": int(net.P), "seconds": time.time() - t0,
       "final_accuracy": [float(a) for a in net.final_accuracy],
       "accuracy_history": np.asarray(net.accuracy_history, dtype=float).tolist()}
print(json.dumps(out), flush=True)

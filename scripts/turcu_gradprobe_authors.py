# Beside the Turcu `trained-n100` claim: one forward + backward pass of the authors' Regular
# SRNN (BPTT/Regular/srnn_helpers.py of github.com/DenisTurcu/SparseRNN, not vendored: fetch
# it and delete its plotting imports) at N = 100, alpha = 0.5, density F; prints the
# distribution of |dLoss/dJ| over the masked synapses (how many fall below Adam's eps 1e-8).
#   python scripts/turcu_gradprobe_authors.py F
import sys, numpy as np, torch
from srnn_helpers import SRNN, tanh_shifted_and_scaled2one, loss_ReLU_on_targets
f=float(sys.argv[1]); seed=0
np.random.seed(seed); torch.manual_seed(seed)
targets = np.ones([2, 20]); targets[0, :] = 0.6 * f; targets[1, :] = 0.4 * f
net = SRNN(computing_mode='CPU', N=100, connections_denseness=f, alpha=0.5, targets=targets, P=None,
           readout_requires_grad=False, learning_rate=0.15,
           firing_rate_function=(lambda x: tanh_shifted_and_scaled2one(x, -0.5)),
           loss_function=loss_ReLU_on_targets, E_to_I_neurons_ratio=None, initialization_type_for_J='random',
           N_epochs=1, dt=0.1, ON_time=10, total_time_multiple=5, sparse_readout_mask='yes',
           store_history=['accuracy_history'], verbose=False)
# one forward + loss + backward as train() does
P=net.P; rates_all = torch.zeros(net.N_time_steps, P, net.N, dtype=torch.float64)
J_actual = net.J*net.mask
for pi in range(P):
    x = net.x_init; rates = net.activation(x); rates_all[0,pi]=rates
    for ti in range(1, net.N_time_steps):
        x = x + net.dt*(-x + J_actual @ rates + net.W_in[ti-1]*net.patterns[:,pi]); rates = net.activation(x); rates_all[ti,pi]=rates
W = net.compute_actual_W_out()
ro = torch.matmul(rates_all, W.T).squeeze()/net.N
loss = net.loss_function(activity=ro, target_dynamics=net.targets, thresholds=net.classification_thresh, ids_plus=net.ids_positive_label, ids_minus=net.ids_negative_label)
loss.backward()
g = net.J.grad.detach().numpy()[net.mask.numpy()>0]
a=np.abs(g)
print('f',f,'P',P,'loss',float(loss),'nnz',a.size,'|g| quantiles 10/50/90/max', np.quantile(a,[0.1,0.5,0.9]).tolist(), a.max(), 'frac<1e-8', float((a<1e-8).mean()), 'frac==0', float((a==0).mean()))

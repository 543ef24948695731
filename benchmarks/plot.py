"""The plot of docs/benchmarks.png: each gradient's time over its primal's, per
benchmark and library, on a log scale. Needs matplotlib, which nothing else does."""

OWN = ('primal', 'hand', 'adjoint')  # measured on every benchmark
ORDER = ('hand', 'adjoint', 'autograd', 'jax.grad', 'jax.jit(grad)', 'torch')
COLORS = {'hand': '#4d4d4d', 'adjoint': '#d62728', 'autograd': '#9467bd',
          'jax.grad': '#1f77b4', 'jax.jit(grad)': '#17becf', 'torch': '#ff7f0e'}


def write(results, path, title):
    """Draw `results` (run.py's benchmark dicts) into the PNG `path`; returns None,
    or why not (matplotlib missing)."""
    try:
        import matplotlib
        matplotlib.use('Agg')  # a file, no display
        import matplotlib.pyplot as plt
    except ImportError as error:
        return f'matplotlib is not installed ({error})'
    tools = [t for t in ORDER if any(t in r['to_primal'] for r in results)]
    width = 0.8 / len(tools)
    figure, axes = plt.subplots(figsize=(max(8, 1.1 * len(results)), 4.8), dpi=110)
    for j, tool in enumerate(tools):
        xs = [i + (j - (len(tools) - 1) / 2) * width
              for i, r in enumerate(results) if tool in r['to_primal']]
        ys = [r['to_primal'][tool] for r in results if tool in r['to_primal']]
        # From the line at 1 (the primal) up or down to the ratio.
        axes.bar(xs, [y - 1.0 for y in ys], width, bottom=1.0, label=tool,
                 color=COLORS[tool])
    axes.axhline(1.0, color='black', linewidth=0.8)
    axes.set_yscale('log')
    axes.set_ylabel('time of the gradient / time of the function')
    axes.set_xticks(range(len(results)))
    axes.set_xticklabels([r['name'] for r in results], rotation=30, ha='right')
    axes.set_title(title, fontsize=9)
    axes.legend(ncol=len(tools), fontsize=8, loc='upper center',
                bbox_to_anchor=(0.5, -0.22), frameon=False)
    axes.grid(axis='y', which='both', alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return None

"""Registry-sweep checks for SciPy's rules (adjoint/rules/scipy_rules.py and
scipy_stats_rules.py), the `Check` tables of rules_checks.py continued: empty
where SciPy is not installed, whose rules are then not registered either.

Importing this module imports SciPy, which registers its rules before the sweep
reads the registry (registry.load_optional_rules).
"""

from tests.rules_checks import MATRIX, POSITIVE, REAL, Check, Domain, arrays, binary, unary

try:
    import scipy.signal
    import scipy.special
    import scipy.stats
except ImportError:  # the optional extra is not installed
    scipy = None

SCIPY_CHECKS = {}

if scipy is not None:
    from adjoint.rules import scipy_rules, scipy_signal_rules, scipy_stats_rules

    NEGATIVE = Domain(-2.8, -2.2)  # between the poles of gamma at -3 and -2
    UNIT = Domain(0.1, 0.9)  # logit's (0, 1)
    TAIL = Domain(-12.0, -6.0)  # log_ndtr where ndtr underflows to 0 in a log
    ABOVE_MINUS_ONE = Domain(-0.5, 2.0)
    # x, loc, scale of the normal distribution: three arrays that broadcast.
    NORMAL = (REAL, REAL, POSITIVE)
    NORMAL_SHAPES = (((3,), (3,), (3,)), ((2, 3), (3,), ()), ((), (2, 3), (2, 1)))
    M23 = ((2, 3),)
    T234 = ((2, 3, 4),)

    def normal(method):
        """The calls of `scipy.stats.norm.<method>` to check: loc and scale by
        position, by name, left out, and through `from scipy.stats import norm`."""
        call = f'scipy.stats.norm.{method}'
        return (Check(f'{call}(x, y, z)', NORMAL, NORMAL_SHAPES),
                Check(f'{call}(x, loc=y, scale=z)', NORMAL, NORMAL_SHAPES[:2]),
                Check(f'norm.{method}(x, y, scale=z)', NORMAL, NORMAL_SHAPES[1:]),
                unary(f'{call}(x)'), unary(f'norm.{method}(x, 0.5)'),
                binary(f'{call}(x, 0.3, y)', y=POSITIVE))

    DEGREES = Domain(1.5, 6.0)  # t's and chi2's df, away from 0 where the tails blow up
    SHAPE = Domain(1.5, 4.0)  # gamma's and beta's a and b, above 1: densities finite at 0
    # x, shape, loc (scale the next): three arrays that broadcast.
    BROADCAST = (((3,), (3,), (3,)), ((2, 3), (3,), ()), ((), (2, 3), (2, 1)))

    def student(method):
        """`scipy.stats.t.<method>` in x and df, loc and scale, by position and name."""
        call = f'scipy.stats.t.{method}'
        return (Check(f'{call}(x, y, z, 1.3)', (REAL, DEGREES, REAL), BROADCAST),
                Check(f'{call}(x, 2.5, y, scale=z)', NORMAL, NORMAL_SHAPES[:2]),
                Check(f'{call}(x, df=y, loc=0.2, scale=z)', (REAL, DEGREES, POSITIVE),
                      NORMAL_SHAPES[1:]),
                unary(f'{call}(x, 3.0)'), unary(f'{call}(0.4, x)', DEGREES))

    ABOVE_SHAPE = Domain(4.5, 7.0)  # x of gamma and chi2 with loc in REAL, scale POSITIVE
    INSIDE = Domain(0.2, 0.8)  # x of beta, in (loc, loc + scale)

    def gamma(method):
        """`scipy.stats.gamma.<method>` in x, a, loc and scale; x above loc."""
        call = f'scipy.stats.gamma.{method}'
        return (Check(f'{call}(x, y, z, 1.3)', (ABOVE_SHAPE, SHAPE, REAL), BROADCAST),
                Check(f'{call}(x, 2.5, y, scale=z)', (ABOVE_SHAPE, REAL, POSITIVE),
                      NORMAL_SHAPES[:2]),
                Check(f'{call}(x, a=y, scale=z)', (POSITIVE, SHAPE, POSITIVE), NORMAL_SHAPES[1:]),
                unary(f'{call}(x, 3.0)', POSITIVE), unary(f'{call}(1.7, x)', SHAPE))

    def beta(method):
        """`scipy.stats.beta.<method>` in x, a, b, loc and scale; x inside (loc, loc + scale)."""
        call = f'scipy.stats.beta.{method}'
        # x has no int in its domain (ints=()).
        return (Check(f'{call}(x, y, z)', (UNIT, SHAPE, SHAPE), BROADCAST, ints=()),
                Check(f'{call}(x, 2.5, 1.8, y, z)', (INSIDE, Domain(-0.3, 0.1), Domain(1.1, 1.6)),
                      NORMAL_SHAPES[:2], ints=()),
                Check(f'{call}(x, a=y, b=z, loc=-0.5, scale=2.0)', (UNIT, SHAPE, SHAPE),
                      NORMAL_SHAPES[1:], ints=()),
                unary(f'{call}(x, 3.0, 2.0)', UNIT, ints=()), unary(f'{call}(0.3, x, 2.0)', SHAPE),
                unary(f'{call}(0.3, 2.0, b=x)', SHAPE))

    def chi2(method):
        """`scipy.stats.chi2.<method>` in x, df, loc and scale; x above loc."""
        call = f'scipy.stats.chi2.{method}'
        return (Check(f'{call}(x, y, z, 1.3)', (ABOVE_SHAPE, DEGREES, REAL), BROADCAST),
                Check(f'{call}(x, 2.5, y, scale=z)', (ABOVE_SHAPE, REAL, POSITIVE),
                      NORMAL_SHAPES[:2]),
                Check(f'{call}(x, df=y, scale=z)', (POSITIVE, DEGREES, POSITIVE),
                      NORMAL_SHAPES[1:]),
                unary(f'{call}(x, 3.0)', POSITIVE), unary(f'{call}(1.7, x)', DEGREES))

    # multivariate_normal reads one triangle of cov: a symmetric one, z z^T + 1, is
    # differentiated through z. dirichlet rejects an x off the simplex: x is a
    # softmax, differentiated along the simplex.
    COVARIANCE = 'z @ z.T + np.eye(3)'
    SIMPLEX = 'np.exp(x) / np.sum(np.exp(x), axis=0)'

    def cdf(dist, shape, x=REAL, method='cdf'):
        """`scipy.stats.<dist>.<method>` (a distribution function) in x, loc and
        scale; its shape parameters constant."""
        call = f'scipy.stats.{dist}.{method}'
        return (Check(f'{call}(x, {shape}, y, z)', (x, REAL, POSITIVE), NORMAL_SHAPES),
                Check(f'{call}(x, {shape}, loc=y, scale=z)', (x, REAL, POSITIVE),
                      NORMAL_SHAPES[1:]),
                unary(f'{call}(x, {shape})', POSITIVE))

    SCIPY_CHECKS = {
        scipy.special.gammaln: (unary('scipy.special.gammaln(x)', POSITIVE),
                                unary('scipy.special.gammaln(x)', NEGATIVE, ints=())),
        scipy.special.digamma: (unary('scipy.special.digamma(x)', POSITIVE),
                                unary('scipy.special.psi(x)', NEGATIVE, ints=())),
        scipy.special.polygamma: (unary('scipy.special.polygamma(1, x)', POSITIVE),
                                  unary('scipy.special.polygamma(2, x)', NEGATIVE, ints=()),
                                  unary('scipy.special.polygamma(0, x)', POSITIVE)),
        scipy.special.erf: unary('scipy.special.erf(x)'),
        scipy.special.erfc: unary('scipy.special.erfc(x)'),
        scipy.special.ndtr: unary('scipy.special.ndtr(x)'),
        scipy.special.log_ndtr: (unary('scipy.special.log_ndtr(x)'),
                                 unary('scipy.special.log_ndtr(x)', TAIL, ints=())),
        scipy.special.expit: unary('scipy.special.expit(x)'),
        scipy.special.logit: unary('scipy.special.logit(x)', UNIT, ints=()),
        scipy.special.xlogy: (binary('scipy.special.xlogy(x, y)', y=POSITIVE),
                              unary('scipy.special.xlogy(2.0, x)', POSITIVE)),
        scipy.special.xlog1py: binary('scipy.special.xlog1py(x, y)', y=ABOVE_MINUS_ONE,
                                      ints=(2, 1)),
        scipy.special.logsumexp: (
            Check('scipy.special.logsumexp(x)', (REAL,), ((4,), (2, 3))),
            arrays('scipy.special.logsumexp(x, axis=1)', M23, T234),
            arrays('scipy.special.logsumexp(x, -1, keepdims=True)', M23, T234),
            arrays('scipy.special.logsumexp(x, axis=(0, 2))', T234),
            arrays('scipy.special.logsumexp(x, b=y)', ((3,), (3,)), ((2, 3), (3,)),
                   domains=(REAL, POSITIVE)),
            arrays('scipy.special.logsumexp(x, 0, y, True)', ((2, 3), (2, 1)), ((2, 3), ()),
                   domains=(REAL, POSITIVE))),
        scipy_rules.logsumexp_weights: (
            arrays('scipy_rules.logsumexp_weights(x, y)', ((3,), ())),
            arrays('scipy_rules.logsumexp_weights(x, y, 1, z, True)',
                   ((2, 3), (2, 1), (3,)), domains=(REAL, REAL, POSITIVE)),
            arrays('scipy_rules.logsumexp_weights(x, y, 0)', ((2, 3), (3,)))),
        scipy.stats.norm.logpdf: normal('logpdf'),
        scipy.stats.norm.pdf: normal('pdf'),
        scipy.stats.norm.cdf: normal('cdf'),
        scipy.stats.norm.logcdf: normal('logcdf'),
        scipy.stats.norm.sf: normal('sf'),
        scipy.stats.norm.logsf: normal('logsf'),
        scipy.stats.t.logpdf: student('logpdf'),
        scipy.stats.t.pdf: student('pdf'),
        scipy.stats.gamma.logpdf: gamma('logpdf'),
        scipy.stats.gamma.pdf: gamma('pdf'),
        scipy.stats.beta.logpdf: beta('logpdf'),
        scipy.stats.beta.pdf: beta('pdf'),
        scipy.stats.chi2.logpdf: chi2('logpdf'),
        scipy.stats.chi2.pdf: chi2('pdf'),
        scipy.stats.t.cdf: cdf('t', '3.0'),
        scipy.stats.t.logcdf: cdf('t', '2.5', method='logcdf'),
        scipy.stats.gamma.cdf: cdf('gamma', '2.5', ABOVE_SHAPE),
        scipy.stats.chi2.cdf: cdf('chi2', '3.5', ABOVE_SHAPE),
        scipy.stats.beta.cdf: (Check('scipy.stats.beta.cdf(x, 2.5, 1.5, y, z)',
                                     (INSIDE, Domain(-0.3, 0.1), Domain(1.1, 1.6)),
                                     NORMAL_SHAPES, ints=()),
                               unary('scipy.stats.beta.cdf(x, a=2.0, b=3.0)', UNIT, ints=())),
        scipy.stats.poisson.logpmf: (unary('scipy.stats.poisson.logpmf(3, x)', POSITIVE),
                                     arrays('scipy.stats.poisson.logpmf(np.array([0, 2, 5]), x)',
                                            ((3,),), ((2, 1),), domains=(POSITIVE,)),
                                     unary('scipy.stats.poisson.logpmf(4, mu=x, loc=1)', POSITIVE)),
        scipy.stats.poisson.pmf: (unary('scipy.stats.poisson.pmf(3, x)', POSITIVE),
                                  arrays('scipy.stats.poisson.pmf(np.array([0, 2, 5]), mu=x)',
                                         ((3,),), ((),), domains=(POSITIVE,))),
        scipy.stats.poisson.cdf: (unary('scipy.stats.poisson.cdf(3, x)', POSITIVE),
                                  arrays('scipy.stats.poisson.cdf(np.array([0, 2.5, 5]), x)',
                                         ((3,),), ((2, 1),), domains=(POSITIVE,)),
                                  unary('scipy.stats.poisson.cdf(4, mu=x, loc=1)', POSITIVE)),
        scipy.stats.multivariate_normal.pdf: (
            arrays(f'scipy.stats.multivariate_normal.pdf(x, y, {COVARIANCE})',
                   ((3,), (3,), (3, 3)), ((4, 3), (3,), (3, 3)), domains=(REAL, REAL, MATRIX)),
            arrays(f'scipy.stats.multivariate_normal.pdf(x, mean=y, cov={COVARIANCE})',
                   ((2, 3), (3,), (3, 3)), domains=(REAL, REAL, MATRIX))),
        scipy.stats.multivariate_normal.entropy: (
            arrays('scipy.stats.multivariate_normal.entropy(x, y @ y.T + np.eye(3))',
                   ((3,), (3, 3)), domains=(REAL, MATRIX)),
            arrays('scipy.stats.multivariate_normal.entropy(cov=y @ y.T + np.eye(2), mean=x)',
                   ((2,), (2, 2)), domains=(REAL, MATRIX))),
        scipy.stats.multivariate_normal.logpdf: (
            arrays(f'scipy.stats.multivariate_normal.logpdf(x, y, {COVARIANCE})',
                   ((3,), (3,), (3, 3)), ((4, 3), (3,), (3, 3)), domains=(REAL, REAL, MATRIX)),
            arrays(f'scipy.stats.multivariate_normal.logpdf(x, mean=y, cov={COVARIANCE})',
                   ((2, 3), (3,), (3, 3)), domains=(REAL, REAL, MATRIX))),
        scipy.stats.dirichlet.logpdf: (
            arrays(f'scipy.stats.dirichlet.logpdf({SIMPLEX}, y)', ((3,), (3,)), ((3, 4), (3,)),
                   domains=(REAL, POSITIVE)),
            arrays(f'scipy.stats.dirichlet.logpdf({SIMPLEX}, alpha=y)', ((4,), (4,)),
                   domains=(REAL, POSITIVE))),
        scipy.stats.dirichlet.pdf: (
            arrays(f'scipy.stats.dirichlet.pdf({SIMPLEX}, y)', ((3,), (3,)), ((3, 4), (3,)),
                   domains=(REAL, POSITIVE)),
            arrays(f'scipy.stats.dirichlet.pdf({SIMPLEX}, alpha=y)', ((4,), (4,)),
                   domains=(REAL, POSITIVE))),
    }

    OPEN = Domain(-0.9, 0.9)  # erfinv's (-1, 1)
    OPEN_TWO = Domain(0.1, 1.9)  # erfcinv's (0, 2)
    SPECIAL = 'scipy.special'
    SCIPY_CHECKS.update({
        scipy.special.i0: unary(f'{SPECIAL}.i0(x)'),
        scipy.special.i1: (unary(f'{SPECIAL}.i1(x)'), unary(f'{SPECIAL}.i1(x) + 0.0 * x', ints=(0,))),
        scipy.special.i0e: unary(f'{SPECIAL}.i0e(x)', Domain(0.3, 2.0, signed=True)),
        scipy.special.i1e: unary(f'{SPECIAL}.i1e(x)', Domain(0.3, 2.0, signed=True)),
        scipy.special.erfinv: unary(f'{SPECIAL}.erfinv(x)', OPEN, ints=(0,)),
        scipy.special.erfcinv: unary(f'{SPECIAL}.erfcinv(x)', OPEN_TWO, ints=(1,)),
        scipy.special.erfcx: unary(f'{SPECIAL}.erfcx(x)'),
        scipy.special.ndtri: unary(f'{SPECIAL}.ndtri(x)', UNIT, ints=()),
        scipy.special.expm1: unary(f'{SPECIAL}.expm1(x)'),
        scipy.special.log1p: unary(f'{SPECIAL}.log1p(x)', ABOVE_MINUS_ONE),
        scipy.special.gamma: (unary(f'{SPECIAL}.gamma(x)', POSITIVE),
                              unary(f'{SPECIAL}.gamma(x)', NEGATIVE, ints=())),
        scipy.special.rgamma: (unary(f'{SPECIAL}.rgamma(x)', POSITIVE),
                               unary(f'{SPECIAL}.rgamma(x)', NEGATIVE, ints=())),
        scipy.special.beta: binary(f'{SPECIAL}.beta(x, y)', x=POSITIVE, y=POSITIVE),
        scipy.special.betaln: binary(f'{SPECIAL}.betaln(x, y)', x=POSITIVE, y=POSITIVE),
        scipy.special.multigammaln: (
            # arrays whose last axis is d long, 1 long and neither: each element on its own
            Check(f'{SPECIAL}.multigammaln(x, 3)', (Domain(1.5, 4.0),), ((
                (3,),), ((2, 1),), M23)),
            Check(f'{SPECIAL}.multigammaln(x, 2)', (Domain(1.5, 4.0),), ((
                (3,),), M23)),
            Check(f'{SPECIAL}.multigammaln(x, 1)', (POSITIVE,))),
        scipy_rules.multigammaln_polygamma: (
            Check('scipy_rules.multigammaln_polygamma(0, x, 3)', (Domain(1.5, 4.0),),
                  (((3,),), M23)),
            Check('scipy_rules.multigammaln_polygamma(1, x, 2)', (Domain(1.5, 4.0),),
                  (((2, 1),),))),
        scipy.special.j0: unary(f'{SPECIAL}.j0(x)', Domain(0.2, 20.0, signed=True)),
        scipy.special.j1: (unary(f'{SPECIAL}.j1(x)', Domain(0.2, 20.0, signed=True)),
                           unary(f'{SPECIAL}.j1(x) + 0.0 * x', ints=(0,))),
        scipy.special.y0: unary(f'{SPECIAL}.y0(x)', Domain(0.2, 20.0)),
        scipy.special.y1: unary(f'{SPECIAL}.y1(x)', Domain(0.2, 20.0)),
        scipy.special.jv: (unary(f'{SPECIAL}.jv(2.5, x)', Domain(0.2, 20.0)),
                           unary(f'{SPECIAL}.jv(0, x)', Domain(0.2, 20.0, signed=True)),
                           arrays(f'{SPECIAL}.jv(np.array([1.0, 2.0, 3.0]), x)', ((3,),),
                                  ((2, 3),), domains=(POSITIVE,))),
        scipy.special.yv: unary(f'{SPECIAL}.yv(1.5, x)', Domain(0.2, 20.0)),
        scipy.special.yn: (unary(f'{SPECIAL}.yn(2, x)', Domain(0.2, 20.0)),
                           unary(f'{SPECIAL}.yn(0, x)', Domain(0.2, 20.0))),
        scipy.special.iv: (unary(f'{SPECIAL}.iv(2.5, x)', Domain(0.2, 5.0)),
                           unary(f'{SPECIAL}.iv(1, x)', Domain(0.2, 5.0, signed=True))),
        scipy.special.ive: (unary(f'{SPECIAL}.ive(2.5, x)', Domain(0.2, 20.0)),
                            unary(f'{SPECIAL}.ive(1, x)', Domain(0.2, 20.0, signed=True))),
        scipy.special.gammainc: (unary(f'{SPECIAL}.gammainc(1.5, x)', POSITIVE),
                                 arrays(f'{SPECIAL}.gammainc(np.array([1.0, 2.5, 4.0]), x)',
                                        ((3,),), ((2, 3),), domains=(POSITIVE,))),
        scipy.special.gammaincc: unary(f'{SPECIAL}.gammaincc(2.5, x)', POSITIVE),
        scipy.special.betainc: unary(f'{SPECIAL}.betainc(1.7, 2.3, x)', UNIT, ints=()),
        scipy.special.entr: unary(f'{SPECIAL}.entr(x)', POSITIVE),
        scipy.special.rel_entr: binary(f'{SPECIAL}.rel_entr(x, y)', x=POSITIVE, y=POSITIVE),
        scipy.special.kl_div: binary(f'{SPECIAL}.kl_div(x, y)', x=POSITIVE, y=POSITIVE),
        scipy.special.softmax: (arrays(f'{SPECIAL}.softmax(x)', ((4,),), M23),
                                arrays(f'{SPECIAL}.softmax(x, axis=1)', M23),
                                arrays(f'{SPECIAL}.softmax(x, axis=(0, 2))', T234)),
        scipy.special.log_softmax: (arrays(f'{SPECIAL}.log_softmax(x)', ((4,),), M23),
                                    arrays(f'{SPECIAL}.log_softmax(x, axis=-1)', M23),
                                    arrays(f'{SPECIAL}.log_softmax(x, 0)', T234)),
        # autograd's test_scipy.py: 1-d and 2-d, in each mode, either input the larger
        scipy.signal.convolve: (
            arrays('scipy.signal.convolve(x, y)', ((4,), (2,)), ((2,), (5,)), ((4, 3), (2, 2))),
            arrays('scipy.signal.convolve(x, y, "valid")', ((5,), (3,)), ((2,), (4,)),
                   ((5, 4), (3, 2)), ((2, 2), (4, 3))),
            arrays('scipy.signal.convolve(x, y, mode="same")', ((4,), (3,)), ((2,), (5,)),
                   ((4, 3), (4, 1)), ((2, 3), (4, 5))),
            arrays('scipy.signal.convolve(x, y, "full", "direct")', ((3, 2), (2, 2)))),
        scipy_signal_rules.signal_full: (
            arrays('scipy_signal_rules.signal_full(x, np.ones((4, 3)), np.ones((2, 2)), "same")',
                   ((4, 3),)),
            arrays('scipy_signal_rules.signal_full(x, np.ones(2), np.ones(4), "valid")', ((3,),)),
            arrays('scipy_signal_rules.signal_full(x, np.ones(2), np.ones(4))', ((5,),))),
        scipy_signal_rules.signal_window: (
            arrays('scipy_signal_rules.signal_window(x, np.ones((4, 3)), np.ones((2, 2)), '
                   '"same")', ((5, 4),)),
            arrays('scipy_signal_rules.signal_window(x, np.ones(2), np.ones(4), "valid")',
                   ((5,),))),
    })

# The helpers of the rules whose results carry no derivative, as NONDIFFERENTIABLE.
SCIPY_NONDIFFERENTIABLE = {} if scipy is None else {
    scipy_stats_rules.shape_not_differentiated:
        'scipy_stats_rules.shape_not_differentiated("t.cdf", "df", x > 5.0)',
    scipy.special.gammasgn: 'scipy.special.gammasgn(x)'}

# What the generated wrappers of these checks import.
SCIPY_IMPORTS = ['import scipy.signal', 'import scipy.special', 'import scipy.stats',
                 'from scipy.stats import norm',
                 'from adjoint.rules import scipy_rules, scipy_signal_rules, scipy_stats_rules'
                 ] if scipy is not None else []

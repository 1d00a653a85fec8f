# SPDX-License-Identifier: MIT
# Plot ksort_bench --curve output:
#   gnuplot -e "data='curve.dat'; out='docs/img/ksort-curve.png'" plot.gp
# Left: comparisons per n lg n of each sequential algorithm (a parallel
# pdqsort or quicksort makes exactly the comparisons of its sequential run).
# Right: time per element, the algorithms alone, ksort with 2 threads and
# the peers (qsort, std::sort alone; oneTBB and libstdc++ parallel mode
# with 2 threads), all with the same callback comparator.
if (!exists("data")) data = 'curve.dat'
if (!exists("out")) out = 'ksort-curve.png'
# the rows of one series: algorithm @a with @t threads
rows(a, t) = sprintf("< awk '$2 == \"%s\" && $3 == %d' %s", a, t, data)
set terminal pngcairo size 1400,560 font ",10" noenhanced
set output out
set multiplot layout 1,2
set logscale x
set format x "%.0e"
set xrange [700:1.5e7]
set key left top
set grid
set xlabel "n (random uint64, callback comparator)"
set ylabel "comparisons / (n lg n)"
set title "comparisons per n lg n"
lg(x) = log(x) / log(2)
algos = "pdqsort quicksort timsort heapsort list_sort"
plot for [a in algos] rows(a, 1) using 1:($5 / ($1 * lg($1))) \
	with linespoints title a
set logscale y
set ylabel "ns per element (median)"
set title "time per element"
set key left top font ",9"
plot for [a in algos] rows(a, 1) using 1:($4 * 1e6 / $1) \
	with linespoints title a, \
     for [a in "pdqsort quicksort"] rows(a, 2) using 1:($4 * 1e6 / $1) \
	with linespoints lw 3 title "ksort ".a.", 2 threads", \
     for [a in "qsort std::sort"] rows(a, 1) using 1:($4 * 1e6 / $1) \
	with linespoints dt 2 title a, \
     for [a in "tbb::parallel_sort __gnu_parallel::sort"] \
	rows(a, 2) using 1:($4 * 1e6 / $1) \
	with linespoints dt 2 title a.", 2 threads"
unset multiplot

# SPDX-License-Identifier: MIT
# Plot ksort_bench --curve output: gnuplot -e "data='curve.dat'" plot.gp
if (!exists("data")) data = 'curve.dat'
if (!exists("out")) out = 'ksort-curve.png'
set terminal pngcairo size 1200,500 font ",10" noenhanced
set output out
set multiplot layout 1,2
set logscale xy
set key left top
set grid
set xlabel "n (random uint64, callback comparator)"
set ylabel "comparisons / (n lg n)"
unset logscale y
set title "comparisons per n lg n"
lg(x) = log(x) / log(2)
plot for [a in "quicksort pdqsort timsort heapsort list_sort"] \
	data using 1:(strcol(2) eq a && $3 == 1 ? $5 / ($1 * lg($1)) : 1/0) \
	smooth unique with linespoints title a
set logscale y
set ylabel "ns per element"
set title "time per element (median)"
plot for [a in "quicksort pdqsort timsort heapsort list_sort"] \
	data using 1:(strcol(2) eq a && $3 == 1 ? $4 * 1e6 / $1 : 1/0) \
	smooth unique with linespoints title a, \
	data using 1:(strcol(2) eq "quicksort" && $3 == 2 ? $4 * 1e6 / $1 : 1/0) \
	smooth unique with linespoints title "ksort quicksort, 2 threads"
unset multiplot

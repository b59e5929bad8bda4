/* Time of MPI_Allreduce (sum, in place) of COUNT floats, as data-parallel training calls it once
 * per step: the median of REPS calls after a warm-up, each started together by a barrier, so
 * that it measures the transfer and not one rank waiting for another. Prints "COUNT SECONDS"
 * on rank 0. Built and run by bench/distributed.py: mpirun -np 2 allreduce_bandwidth COUNT REPS */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    int count = argc > 1 ? atoi(argv[1]) : 1 << 20, reps = argc > 2 ? atoi(argv[2]) : 20;
    float *values = calloc((size_t)count, sizeof(float));
    double *times = calloc((size_t)reps, sizeof(double));
    MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    for (int i = 0; i < reps; i++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double start = MPI_Wtime();
        MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        times[i] = MPI_Wtime() - start;
    }
    qsort(times, (size_t)reps, sizeof(double), compare);
    if (rank == 0) printf("%d %.9f\n", count, times[reps / 2]);
    free(values);
    free(times);
    MPI_Finalize();
    return 0;
}

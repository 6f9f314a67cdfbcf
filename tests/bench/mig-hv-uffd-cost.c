/* Per-page cost of userfaultfd write-protect tracking vs plain writes:
 * a writer thread touches every page of a 64 MiB memfd mapping once
 * (the first write of a page in a round), a handler thread un-protects
 * each reported page. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <pthread.h>
#include <poll.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>
static int uffd; static char *p; static size_t N = 16384; static volatile int done;
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
static void *handler(void *a){(void)a;while(!done){struct pollfd pf={uffd,POLLIN};if(poll(&pf,1,100)<=0)continue;struct uffd_msg m[64];ssize_t n=read(uffd,m,sizeof m);for(int i=0;i<n/(ssize_t)sizeof m[0];i++){uint64_t ad=m[i].arg.pagefault.address&~4095ULL;struct uffdio_writeprotect u={.range={ad,4096},.mode=0};ioctl(uffd,UFFDIO_WRITEPROTECT,&u);}}return 0;}
int main(void){int mfd=memfd_create("g",0);ftruncate(mfd,N*4096);p=mmap(0,N*4096,PROT_READ|PROT_WRITE,MAP_SHARED,mfd,0);
 for(size_t i=0;i<N;i++)p[i*4096]=1;
 double t0=now();for(size_t i=0;i<N;i++)p[i*4096]=2;double plain=now()-t0;
 uffd=syscall(SYS_userfaultfd,O_CLOEXEC|O_NONBLOCK);struct uffdio_api api={.api=UFFD_API,.features=UFFD_FEATURE_WP_HUGETLBFS_SHMEM};ioctl(uffd,UFFDIO_API,&api);
 struct uffdio_register r={.range={(uintptr_t)p,N*4096},.mode=UFFDIO_REGISTER_MODE_WP};if(ioctl(uffd,UFFDIO_REGISTER,&r)){perror("reg");return 1;}
 pthread_t h;pthread_create(&h,0,handler,0);
 for(int round=0;round<3;round++){
 struct uffdio_writeprotect wp={.range={(uintptr_t)p,N*4096},.mode=UFFDIO_WRITEPROTECT_MODE_WP};
 double w0=now();ioctl(uffd,UFFDIO_WRITEPROTECT,&wp);double wpt=now()-w0;
 t0=now();for(size_t i=0;i<N;i++)p[i*4096]=3;double tracked=now()-t0;
 t0=now();for(size_t i=0;i<N;i++)p[i*4096]=4;double after=now()-t0;
 printf("round %d: protect 64 MiB %.2f ms; first writes %.2f us/page (plain %.3f us/page), later writes %.3f us/page\n",round,wpt*1e3,tracked*1e6/N,plain*1e6/N,after*1e6/N);}
 done=1;pthread_join(h,0);return 0;}

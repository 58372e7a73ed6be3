package manifests

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"whyk8s/inventory"
)

// shapeInputOf reads what decides the workload's shape from the estate.
func shapeInputOf(w *workload) shapeInput {
	g := w.g
	in := shapeInput{
		Recommendation:     w.a.Recommendation.Kind,
		RecommendationText: w.a.Recommendation.Text,
		LoadBalanced:       len(w.tgs)+len(w.classic) > 0,
		MinZero:            g.MinSize == 0 && g.Known("MinSize"),
	}
	if r := w.a.Role; r.Decisive() {
		in.Role = r.Name
	}
	in.ZeroAtRest = in.MinZero && g.DesiredCapacity == 0 && g.Known("DesiredCapacity")
	for _, p := range g.ScalingPolicies {
		if p.Type == "TargetTrackingScaling" && p.Enabled && p.Metric != "" && p.TargetValue != nil {
			in.TargetMetrics = append(in.TargetMetrics, p.Metric)
		}
	}
	sort.Strings(in.TargetMetrics)
	up, down := scheduleWindow(g.ScheduledActions)
	in.Scheduled = len(scheduledChanges(g.ScheduledActions)) > 0
	in.ScheduledWindow = up != nil && down != nil && capacityOf(*down) == 0

	ports := w.servedPorts()
	in.SSHOnly = len(ports) > 0
	for _, p := range ports {
		if p != 22 {
			in.SSHOnly = false
		}
	}
	in.DataStore = dataStoreOn(w.factsOf(inventory.FactDatabase), ports)
	in.PersistentState = persistentState(w)
	return in
}

// servedPorts are the instance ports the load balancers send traffic to, sorted.
func (w *workload) servedPorts() []int {
	seen := map[int]bool{}
	for _, tg := range w.tgs {
		if tg.Port > 0 {
			seen[tg.Port] = true
		}
	}
	for _, lb := range w.classic {
		for _, l := range lb.Listeners {
			if l.InstancePort > 0 {
				seen[l.InstancePort] = true
			}
		}
	}
	var out []int
	for p := range seen {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

// dataStorePorts are the ports data stores listen on by default, by a name their package
// or service carries.
var dataStorePorts = []struct {
	name  string
	ports []int
}{
	{"elasticsearch", []int{9200, 9300}}, {"opensearch", []int{9200, 9300}}, {"solr", []int{8983}},
	{"postgres", []int{5432}}, {"mysql", []int{3306}}, {"mariadb", []int{3306}}, {"sql-server", []int{1433}},
	{"mongo", []int{27017}}, {"redis", []int{6379}}, {"cassandra", []int{9042}}, {"scylla", []int{9042}},
	{"kafka", []int{9092}}, {"rabbitmq", []int{5672}}, {"influx", []int{8086, 8088}}, {"zookeeper", []int{2181}},
	{"couchdb", []int{5984}}, {"neo4j", []int{7687}}, {"clickhouse", []int{8123, 9000}}, {"etcd", []int{2379}},
}

// dataStoreOn names the data store installed on the instances that serves one of the
// load-balanced ports, or "".
func dataStoreOn(dbs []inventory.Fact, ports []int) string {
	for _, f := range dbs {
		d := strings.ToLower(f.Service + " " + f.Name)
		for _, ds := range dataStorePorts {
			if !strings.Contains(d, ds.name) {
				continue
			}
			for _, p := range ds.ports {
				for _, q := range ports {
					if p == q {
						return fmt.Sprintf("%s on port %d, %s", f.Detail(), p, f.Evidence.String())
					}
				}
			}
		}
	}
	return ""
}

// persistentState says why the workload's data must outlive an instance: a data volume
// the group keeps after termination, or a database installed on the instances.
func persistentState(w *workload) string {
	mounted := w.factsOf(inventory.FactDataVolume)
	for _, d := range w.dataVolumes() {
		switch {
		case d.DeleteOnTermination != nil && !*d.DeleteOnTermination:
			return fmt.Sprintf("volume %s is kept when an instance terminates", d.DeviceName)
		case d.DeleteOnTermination == nil && len(mounted) > 0:
			// The code does not say whether the volume outlives the instance, and the
			// scripts format and mount it: its data is what the instance keeps.
			return fmt.Sprintf("volume %s is formatted and mounted by the scripts, %s", d.DeviceName, mounted[0].Evidence.String())
		}
	}
	for _, f := range w.factsOf(inventory.FactDatabase) {
		if f.Class != inventory.ClassCache {
			return f.Detail() + " runs on the instance, " + f.Evidence.String()
		}
	}
	return ""
}

// dataVolumes are the group's EBS volumes besides the root volume; a size of 0 is one the
// source does not say.
func (w *workload) dataVolumes() []inventory.BlockDevice {
	var out []inventory.BlockDevice
	for _, d := range w.g.Launch.BlockDevices {
		if d.NoDevice || d.VirtualName != "" || rootDevice(d.DeviceName) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// rootDevice reports whether a device name is one AMIs boot from.
func rootDevice(name string) bool {
	switch strings.TrimPrefix(name, "/dev/") {
	case "xvda", "sda", "sda1", "nvme0n1":
		return true
	}
	return false
}

// capacityOf is the capacity a scheduled action sets: its desired capacity, else its
// minimum; -1 when it sets neither.
func capacityOf(a inventory.ScheduledAction) int {
	switch {
	case a.DesiredCapacity != nil:
		return *a.DesiredCapacity
	case a.MinSize != nil:
		return *a.MinSize
	}
	return -1
}

// scheduledChanges are the recurring scheduled actions that set a capacity.
func scheduledChanges(as []inventory.ScheduledAction) []inventory.ScheduledAction {
	var out []inventory.ScheduledAction
	for _, a := range as {
		if a.Recurrence != "" && capacityOf(a) >= 0 {
			out = append(out, a)
		}
	}
	return out
}

// scheduleWindow finds the one window the schedule describes: the action that raises
// capacity and the one that lowers it again. Both are nil unless there is exactly one of
// each, with the same time zone.
func scheduleWindow(as []inventory.ScheduledAction) (up, down *inventory.ScheduledAction) {
	ch := scheduledChanges(as)
	if len(ch) != 2 {
		return nil, nil
	}
	a, b := ch[0], ch[1]
	if capacityOf(a) == capacityOf(b) || a.TimeZone != b.TimeZone {
		return nil, nil
	}
	if capacityOf(a) < capacityOf(b) {
		a, b = b, a
	}
	return &a, &b
}

func itoa(n int) string { return strconv.Itoa(n) }

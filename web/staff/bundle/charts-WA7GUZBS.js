// Built from staff/dashboard.js by infra/webbundle (make bundle): edit the modules, not this file.
import{a,b,c,d,e,f,g,h,i,j}from"./chunk-VZZT3GU7.js";import"./chunk-34XSGGUS.js";export{a as charts,b as destroyCharts,e as drawChart,h as errorBars,g as heatClass,f as heatColor,c as loadChartLib,d as noChart,j as refLines,i as slotLabels};
